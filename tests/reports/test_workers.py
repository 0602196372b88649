"""The report tasks on two real Celery workers at once (PostgreSQL + Redis): a beat tick
sent again and again, and one run's task delivered several times, make each report once,
with one file and one "report ready" notice."""

from collections import Counter

import pytest
from django.db import connection

from apps.notices.models import Notice, NoticeKind
from apps.reports.models import ReportRun, RunStatus
from tests.workers import run_on_two_workers

from .test_runs import NOVEMBER

RUNS = 4

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent workers need PostgreSQL (run with DATABASE_URL)",
    ),
]


def test_each_report_is_made_once_on_two_workers(week, region, tmp_path):
    queued = ReportRun.objects.create(
        kind=NOVEMBER.kind, region=region, first_day=NOVEMBER.first, last_day=NOVEMBER.last
    )
    tasks = [
        ("apps.reports.tasks.catch_up_reports", []),
        ("apps.reports.tasks.produce_report", [queued.pk]),
        ("apps.reports.tasks.refresh_rollups", []),
    ] * RUNS
    runs = run_on_two_workers(tmp_path, tasks)
    assert all(runs), f"both workers must have run tasks: {runs}"

    per_report = Counter(
        ReportRun.objects.values_list("kind", "region", "first_day", "last_day", "revision")
    )
    assert per_report and set(per_report.values()) == {1}
    queued.refresh_from_db()
    assert queued.status == RunStatus.DONE and queued.file
    ready = Notice.objects.filter(kind=NoticeKind.REPORT_READY)
    # Catch-up's runs are queued on commit to the workers' default queue, which nobody
    # here listens to: the one produced is the run the tasks named, once.
    assert ready.count() == ReportRun.objects.filter(status=RunStatus.DONE).count() == 1
