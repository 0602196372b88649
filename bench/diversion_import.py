"""Import time for a 20,000-row file, beside a bare bulk_create of the same rows."""

import csv
import io
import time

from _setup import setup

setup()

from django.db import transaction  # noqa: E402

from apps.directory.models import Region  # noqa: E402
from apps.diversion import importers, services  # noqa: E402
from apps.diversion.models import DiversionItem, DiversionList  # noqa: E402

ROWS = 20_000
region = Region.objects.get(division_code="320600")
units = ["市公安局", "市城管局", "市住建局", ""]
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(importers.COLUMNS)
for i in range(ROWS):
    writer.writerow(
        [
            f"H2P-{i + 1:05d}",
            "12345转110",
            f"类别{i % 40}",
            f"细类{i % 400}",
            f"第{i}项事项：对某类问题的举报、投诉等",
            units[i % 4],
            "",
            "",
            "",
            "",
        ]
    )
data = buffer.getvalue().encode()

draft = services.create_draft(region, title="导入基准")
start = time.perf_counter()
importers.apply(data, "bench.csv", draft)
ours = time.perf_counter() - start
assert draft.items.count() == ROWS

bare_list = services.create_draft(region, title="bulk_create 基准")
start = time.perf_counter()
with transaction.atomic():
    DiversionItem.objects.bulk_create(
        DiversionItem(
            diversion_list=bare_list,
            item_code=f"H2P-{i + 1:05d}",
            direction="hotline_to_police",
            category=f"类别{i % 40}",
            subcategory=f"细类{i % 400}",
            matter=f"第{i}项事项：对某类问题的举报、投诉等",
            order=i,
        )
        for i in range(ROWS)
    )
bare = time.perf_counter() - start
print(f"import of {ROWS} rows (parse, validate every row, resolve units, diff, write)")
print(f"  importer        : {ours:6.2f} s  ({ROWS / ours:8.0f} rows/s)")
print(f"  bare bulk_create: {bare:6.2f} s  ({ROWS / bare:8.0f} rows/s)")
print(f"  ratio importer/bulk_create: {ours / bare:.2f}")

# Leave the database as found, so that the benchmarks run again on it.
DiversionList.objects.filter(pk__in=[draft.pk, bare_list.pk]).delete()
