"""The quarterly report of the busiest city at 1,000,000 tickets, beside its floor and
beside what a user would do instead; the dashboard; a day's rollup refresh.

With the tickets of ``bench/tickets_scan.py`` present (1,000,000 over a year), the busiest
city (with its counties) in the last full quarter is taken, and measured, each in a fresh
process so that its peak memory (``ru_maxrss``) is its own:

- report: the workbook of that quarter, as ``reports.runs.produce`` writes it (the
  rollups already current; every sheet, charts included). Targets: <= 30 s, <= 300 MB.
- floor: the same aggregates run as bare SQL over the tickets (the grouped counts of the
  quarter, the quarter before and a year before, the overdue list), and as many rows as
  the report's sheets hold written with write-only openpyxl. Target: report <= 1.5x.
- instead: django-import-export's xlsx export of the same quarter's tickets (all fields),
  what staff would otherwise run and sum by hand. Target: report >= 10x faster.

Then the dashboard's server time for that city and quarter (median of 7; target
<= 200 ms) and rebuilding one day's rollups (median of 3; target <= 2 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linkage_bench \\
        .venv/bin/python bench/reports.py

Needs the bench extra (``pip install -e '.[bench]'``: django-import-export).
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

from _setup import setup

PART = sys.argv[1] if len(sys.argv) > 1 else "main"
setup(fresh=False)

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.directory.models import Region  # noqa: E402
from apps.reports import rollups  # noqa: E402
from apps.reports.models import ReportKind, ReportRun, RollupState  # noqa: E402
from apps.reports.periods import previous_quarter  # noqa: E402
from apps.reports.rollups import local_day_bounds  # noqa: E402
from apps.reports.selectors import scheme_for  # noqa: E402
from apps.tickets.models import Ticket  # noqa: E402

TARGETS = {"report_s": 30, "report_mb": 300, "floor_ratio": 1.5, "instead_ratio": 10}


def verdict(met):
    return "met" if met else "NOT met"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def busiest_city(period):
    start, end = local_day_bounds(period.first, period.last)
    counts = dict(
        Ticket.objects.filter(received_at__gte=start, received_at__lt=end)
        .values_list("region")
        .annotate(n=Count("id"))
    )
    cities = Region.objects.filter(level="city")
    return max(cities, key=lambda c: sum(counts.get(i, 0) for i in c.subtree_ids()))


def part_report(region, period):
    run = ReportRun.objects.create(
        kind=ReportKind.QUARTERLY,
        region=region,
        first_day=period.first,
        last_day=period.last,
        revision=32000,  # out of the way of real runs; deleted below
    )
    from apps.reports.workbook import write_report

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        counts = write_report(run, scheme_for(period.last), os.path.join(tmp, "r.xlsx"))
        took = time.perf_counter() - started
        size = os.path.getsize(os.path.join(tmp, "r.xlsx"))
    run.delete()
    return {"s": took, "mb": peak_mb(), "rows": counts, "bytes": size}


def part_floor(region, period, rows):
    from openpyxl import Workbook

    ids = region.subtree_ids()
    tz = timezone.get_current_timezone()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for p in (period, period.before(), period.year_before()):
            start, end = local_day_bounds(p.first, p.last)
            cursor.execute(
                """SELECT unit_id, source_platform, urgency, diversion_item_id, count(*),
                       count(signed_at) FILTER (WHERE signed_at <= sign_by),
                       count(completed_at), count(*) FILTER (WHERE completed_at <= complete_by),
                       count(*) FILTER (WHERE rating = 'satisfied'),
                       count(*) FILTER (WHERE rating = 'basically_satisfied'),
                       count(*) FILTER (WHERE rating = 'dissatisfied'),
                       count(*) FILTER (WHERE routing_round > 1)
                   FROM tickets_ticket
                   WHERE region_id = ANY(%s) AND received_at >= %s AND received_at < %s
                   GROUP BY 1, 2, 3, 4""",
                [ids, start, end],
            )
            cursor.fetchall()
        start, end = local_day_bounds(period.first, period.last)
        # The report's overdue rule (reports' ``late_condition``) and its notice counts.
        late = " OR ".join(
            f"({due} IS NOT NULL AND (COALESCE({reached}) > {due} OR (COALESCE({reached}) IS"
            f" NULL AND status IN ('transferred', 'signed', 'arrived', 'replied')"
            f" AND {due} < now())))"
            for due, reached in (
                ("sign_by", "signed_at, arrived_at, replied_at, completed_at"),
                ("arrive_by", "arrived_at, replied_at, completed_at"),
                ("reply_by", "replied_at, completed_at"),
                ("complete_by", "completed_at, completed_at"),
            )
        )
        cursor.execute(
            f"""SELECT external_id, source_platform, region_id, unit_id, received_at, sign_by,
                   signed_at, arrive_by, arrived_at, reply_by, replied_at, complete_by,
                   completed_at, circular_at,
                   (SELECT count(*) FROM tickets_supervisionnotice n
                     WHERE n.ticket_id = t.id AND n.level IN ('notice', 'escalation'))
               FROM tickets_ticket t
               WHERE region_id = ANY(%s) AND received_at >= %s AND received_at < %s
                 AND ({late})
               ORDER BY received_at, id""",
            [ids, start, end],
        )
        overdue = cursor.fetchall()
    book = Workbook(write_only=True)
    for title, n in rows.items():
        sheet = book.create_sheet(title)
        source = overdue if n > 1000 else [("x",) * 10] * n
        for row in source[:n]:
            # Excel has no time zones: local wall-clock time, as the report writes it.
            sheet.append(
                [
                    v.astimezone(tz).replace(tzinfo=None) if isinstance(v, datetime) else v
                    for v in row
                ]
            )
    with tempfile.TemporaryDirectory() as tmp:
        book.save(os.path.join(tmp, "floor.xlsx"))
    return {"s": time.perf_counter() - started, "mb": peak_mb(), "overdue": len(overdue)}


def part_instead(region, period):
    from import_export.resources import modelresource_factory

    start, end = local_day_bounds(period.first, period.last)
    tickets = Ticket.objects.filter(
        region_id__in=region.subtree_ids(), received_at__gte=start, received_at__lt=end
    )
    started = time.perf_counter()
    dataset = modelresource_factory(model=Ticket)().export(queryset=tickets)
    content = dataset.export("xlsx")
    return {
        "s": time.perf_counter() - started,
        "mb": peak_mb(),
        "rows": len(dataset),
        "bytes": len(content),
    }


def in_fresh_process(part, *args):
    out = subprocess.run(
        [sys.executable, __file__, part, *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    if out.returncode:
        raise SystemExit(f"{part} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    present = Ticket.objects.count()
    if present < 100_000:
        raise SystemExit(f"only {present:,} tickets: run bench/tickets_scan.py first")
    if RollupState.current().refreshed_up_to is None:
        started = time.perf_counter()
        written = rollups.refresh_changed()
        took = time.perf_counter() - started
        print(f"rollups built from {present:,} tickets: {written:,} rows in {took:.1f} s")
    else:
        rollups.refresh_changed()
    period = previous_quarter(timezone.localdate())
    region = busiest_city(period)
    start, end = local_day_bounds(period.first, period.last)
    in_quarter = Ticket.objects.filter(
        region_id__in=region.subtree_ids(), received_at__gte=start, received_at__lt=end
    ).count()
    print(f"quarterly report of {region.name} ({period.label()}): {in_quarter:,} tickets")

    report = in_fresh_process("report", region.pk)
    floor = in_fresh_process("floor", region.pk, json.dumps(report["rows"]))
    instead = in_fresh_process("instead", region.pk)
    print(
        f"  report : {report['s']:6.2f} s, peak {report['mb']:5.0f} MB, "
        f"{report['bytes'] / 1e6:.1f} MB file, rows per sheet {report['rows']}"
    )
    print(
        f"           target <= {TARGETS['report_s']} s: "
        f"{verdict(report['s'] <= TARGETS['report_s'])}; <= {TARGETS['report_mb']} MB: "
        f"{verdict(report['mb'] <= TARGETS['report_mb'])}"
    )
    print(
        f"  floor  : {floor['s']:6.2f} s, peak {floor['mb']:5.0f} MB (bare SQL aggregates, "
        f"the overdue list of {floor['overdue']:,}, as many rows written write-only)"
    )
    ratio = report["s"] / floor["s"]
    print(
        f"           report / floor {ratio:.2f}x  target <= {TARGETS['floor_ratio']}x: "
        f"{verdict(ratio <= TARGETS['floor_ratio'])}"
    )
    print(
        f"  instead: {instead['s']:6.2f} s, peak {instead['mb']:5.0f} MB "
        f"(django-import-export xlsx of {instead['rows']:,} tickets)"
    )
    speedup = instead["s"] / report["s"]
    print(
        f"           instead / report {speedup:.1f}x  target >= {TARGETS['instead_ratio']}x: "
        f"{verdict(speedup >= TARGETS['instead_ratio'])}"
    )

    from django.test import Client
    from django.urls import reverse

    from apps.accounts.roles import Role
    from apps.accounts.services import create_account

    leader = create_account(f"bench-leader-{time.time_ns()}", "x" * 20, Role.LEADERSHIP)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(leader)
    url = reverse("admin:reports_reportrun_dashboard")
    samples = []
    for _i in range(8):
        started = time.perf_counter()
        response = client.get(url, {"region": region.pk, "period": "last_quarter"})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    median = statistics.median(samples[1:]) * 1000
    print(
        f"  dashboard ({region.name}, last quarter): {median:.0f} ms median of 7  "
        f"target <= 200 ms: {verdict(median <= 200)}"
    )
    leader.delete()

    day = timezone.localdate() - timedelta(days=1)
    samples = []
    for _i in range(3):
        started = time.perf_counter()
        written = rollups.rebuild(day, day)
        samples.append(time.perf_counter() - started)
    took = statistics.median(samples)
    print(
        f"  rollup refresh of {day} ({written:,} rows, every region): {took:.2f} s median "
        f"of 3  target <= 2 s: {verdict(took <= 2)}"
    )


if PART == "main":
    main()
else:
    region = Region.objects.get(pk=int(sys.argv[2]))
    period = previous_quarter(timezone.localdate())
    if PART == "report":
        result = part_report(region, period)
    elif PART == "floor":
        result = part_floor(region, period, json.loads(sys.argv[3]))
    else:
        result = part_instead(region, period)
    print(json.dumps(result))
