"""The admin ticket list over 1,000,000 tickets, beside Django's default exact counting.

Server-side time of ``/admin/tickets/ticket/`` (Django test Client, logged in as a
command-centre staff member): unfiltered, searched by part of a ticket number and by a
phrase of a summary (staff's search also matches callers' numbers), by status, overdue
only, by unit, and urgent ones received in the past 7 days; the median of several runs
each (target <= 300 ms). Baseline: the same pages with Django's default ``Paginator`` and
``show_full_result_count = True``, i.e. an exact COUNT(*) of the whole table on every
page, swapped onto the registered ``TicketAdmin`` in this process only.

Needs the tickets of ``bench/tickets_scan.py`` (or ``generate_demo_tickets``) present:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linkage_bench \\
        .venv/bin/python bench/tickets_admin.py
"""

import os
import statistics
import time
import uuid

from _setup import setup

setup()

from django.contrib import admin  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from apps.accounts.roles import Role  # noqa: E402
from apps.accounts.services import create_account  # noqa: E402
from apps.tickets.models import Ticket  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 7))
TARGET_MS = 300

present = Ticket.objects.count()
if present < 100_000:
    raise SystemExit(
        f"only {present:,} tickets: run bench/tickets_scan.py (or generate_demo_tickets) first"
    )
staff = create_account("bench-staff", uuid.uuid4().hex, Role.STAFF)
client = Client(SERVER_NAME="127.0.0.1")  # in ALLOWED_HOSTS by default
client.force_login(staff)
# The unit with the most tickets: the worst case for a unit's list.
busiest = (
    Ticket.objects.values("unit").annotate(n=Count("id")).order_by("-n").values_list("unit", "n")
)[0]
# Search words: part of the newest ticket's number (one ticket has it), a phrase of its
# summary (many tickets share the generator's phrases).
newest = Ticket.objects.order_by("-id").values_list("external_id", "summary")[0]
PAGES = {
    "unfiltered": "",
    f"search {newest[0][-8:]} (part of a number)": f"?q={newest[0][-8:]}",
    f"search {newest[1][:5]} (part of a summary)": f"?q={newest[1][:5]}",
    "status=signed": "?status__exact=signed",
    "status=completed": "?status__exact=completed",
    "overdue=yes": "?overdue=yes",
    f"unit={busiest[0]} ({busiest[1]:,} tickets)": f"?unit__id__exact={busiest[0]}",
    "urgency=urgent & received=7d": "?urgency__exact=urgent&received=7d",
}
ticket_admin = admin.site._registry[Ticket]


def measure(query):
    url = f"/admin/tickets/ticket/{query}"
    samples = []
    for run in range(RUNS + 1):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if run:  # the first run warms caches and is not counted
            samples.append(elapsed)
    return statistics.median(samples)


with override_settings(DEBUG=False):
    ours = {name: measure(query) for name, query in PAGES.items()}
    saved = ticket_admin.paginator, ticket_admin.show_full_result_count
    ticket_admin.paginator, ticket_admin.show_full_result_count = Paginator, True
    try:
        baseline = {name: measure(query) for name, query in PAGES.items()}
    finally:
        ticket_admin.paginator, ticket_admin.show_full_result_count = saved

print(
    f"admin ticket list on {connection.vendor}, {present:,} tickets, staff user, "
    f"median of {RUNS} runs (server side, test Client)"
)
print(f"  {'page':<38} {'ours':>9} {'exact COUNT':>12} {'ratio':>7}  target <= {TARGET_MS} ms")
for name in PAGES:
    verdict = "met" if ours[name] <= TARGET_MS else "NOT met"
    print(
        f"  {name:<38} {ours[name]:7.1f} ms {baseline[name]:9.1f} ms "
        f"{ours[name] / baseline[name]:7.2f}  {verdict}"
    )
