"""The admin unit list with 1,000 units, beside a floor: the same rows read by the ORM.

Server-side time of ``/admin/directory/unit/`` (Django test Client, staff), at the
admin's page size and with all 1,000 rows on one page, median of several runs (target
<= 300 ms):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linkage_bench \\
        .venv/bin/python bench/units_admin.py
"""

import os
import statistics
import time
import uuid

from _setup import setup

setup()

from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from apps.accounts.roles import Role  # noqa: E402
from apps.accounts.services import create_account  # noqa: E402
from apps.directory.models import Contact, ContactRole, Region, Unit  # noqa: E402

UNITS = 1000
RUNS = int(os.environ.get("BENCH_RUNS", 7))
TARGET_MS = 300
PREFIX = "基准单位"


def ensure_units():
    """Up to 1,000 units, each with a leader and a liaison (reused by later runs)."""
    region = Region.objects.get(division_code="320600")
    missing = UNITS - Unit.objects.count()
    if missing <= 0:
        return
    start = Unit.objects.filter(name__startswith=PREFIX).count()
    units = Unit.objects.bulk_create(
        Unit(region=region, name=f"{PREFIX}{n:04d}", kind="government", linkage_tier=2)
        for n in range(start, start + missing)
    )
    Contact.objects.bulk_create(
        Contact(unit=unit, role=role, name=f"{role}{unit.pk}", office_phone="0513-1")
        for unit in units
        for role in (ContactRole.LEADER, ContactRole.LIAISON)
    )


def timed(client, url):
    times = []
    for _run in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


ensure_units()
staff = create_account("bench-units-staff", uuid.uuid4().hex, Role.STAFF)
client = Client(SERVER_NAME="127.0.0.1")
client.force_login(staff)
unit_admin = admin.site._registry[Unit]
results = {}
with override_settings(DEBUG=False):
    for per_page in (unit_admin.list_per_page, UNITS):
        unit_admin.list_per_page, default = per_page, unit_admin.list_per_page
        url = "/admin/directory/unit/"
        client.get(url)
        results[per_page] = timed(client, url)
        unit_admin.list_per_page = default
    # The floor: the same rows read by the ORM as the page reads them, nothing rendered.
    times = []
    for _run in range(RUNS):
        start = time.perf_counter()
        list(Unit.objects.with_contacts_stale().select_related("region").order_by("name"))
        times.append((time.perf_counter() - start) * 1000)
    floor_ms = statistics.median(times)

print(f"unit list on {connection.vendor}: {Unit.objects.count():,} units")
for per_page, ms in results.items():
    verdict = "met" if ms <= TARGET_MS else "NOT met"
    print(
        f"  {per_page:>5} per page: {ms:6.1f} ms  target <= {TARGET_MS} ms: {verdict}; "
        f"{ms / floor_ms:.1f}x the floor"
    )
print(f"  floor (all {UNITS:,} rows read by the ORM, not rendered): {floor_ms:6.1f} ms")
