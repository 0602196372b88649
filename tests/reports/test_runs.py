"""Report runs: revisions, idempotent scheduling, claiming, the file moved into place,
catching up, and the workbook's cells against the figures worked out by hand."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from apps.notices.models import Notice, NoticeKind
from apps.reports import runs
from apps.reports.models import ReportRun, RunStatus
from apps.reports.periods import Period, previous_month, previous_quarter

from .conftest import DAY

NOVEMBER = Period("monthly", date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def produced(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.request_run(**kwargs)
    run.refresh_from_db()
    return run


def sheet_rows(run, title):
    with run.file.open("rb") as handle:
        book = load_workbook(handle)
    return [list(r) for r in book[title].iter_rows(values_only=True)]


def by_first_cell(rows):
    return {r[0]: r[1:] for r in rows if r and r[0]}


def test_a_monthly_report_of_the_hand_worked_week(
    week, region, police, other_unit, staff_user, leader_user, django_capture_on_commit_callbacks
):
    run = produced(
        django_capture_on_commit_callbacks, period=NOVEMBER, region=region, requested_by=staff_user
    )
    assert run.status == RunStatus.DONE, run.error
    assert run.progress == 100 and run.file.name.endswith(".xlsx") and run.scheme is not None
    assert run.file_name() == "南通市_2026-11_月报_第1版.xlsx"

    overview = by_first_cell(sheet_rows(run, "总体情况"))
    assert overview["受理工单数"][0] == 4
    assert overview["办结数"][0] == 3  # a, b, c
    assert overview["按时签收率"][0] == 0.5  # a and c, of all four
    assert overview["回流数"][0] == 1
    assert overview["超期工单数"][0] == 2  # b, d
    assert overview["督办通知数"][0] == 1 and overview["已确认督办通知"][0] == 1
    assert (
        overview["受理工单数"][1] == 0 and overview["受理工单数"][2] == "—"
    )  # no October: no 环比

    ranking = sheet_rows(run, "单位排名")
    header, first, second = ranking[0], ranking[1], ranking[2]
    assert header[:3] == ["排名", "单位", "行政区划"]
    scores = {row[1]: row for row in (first, second)}
    # The police: response 1/3 (a of a, b, d), resolution 2/3, satisfaction (1 + 0.9) / 2:
    # (30 × 1/3 + 35 × 2/3 + 35 × 0.95) = 10 + 23.333 + 33.25
    assert scores["市公安局"][header.index("综合得分")] == pytest.approx(66.5833, abs=1e-3)
    # The other unit: signed and completed its one ticket on time, not rated yet:
    # (30 × 1 + 35 × 1) / 65 × 100
    assert scores["市城管局"][header.index("综合得分")] == pytest.approx(100)
    assert first[1] == "市城管局" and first[0] == 1 and second[0] == 2

    overdue = sheet_rows(run, "超期督办与通报")
    assert [r[0] for r in overdue[1:]] == [week["b"].external_id, week["d"].external_id]
    assert overdue[2][overdue[0].index("督办通知")] == 1

    definitions = by_first_cell(sheet_rows(run, "说明"))
    assert "默认考核方案" in definitions["考核方案"][0]
    assert definitions["按时宽限"][0].startswith("签收：0 分钟；")

    # The notice reaches leadership and staff.
    notice = Notice.objects.get(kind=NoticeKind.REPORT_READY)
    assert set(notice.recipients.values_list("user_id", flat=True)) >= {
        staff_user.pk,
        leader_user.pk,
    }


def test_a_rerun_is_a_new_revision_and_the_latest_done_is_the_default(
    week, region, staff_user, django_capture_on_commit_callbacks
):
    first = produced(
        django_capture_on_commit_callbacks, period=NOVEMBER, region=region, requested_by=staff_user
    )
    second = produced(
        django_capture_on_commit_callbacks, period=NOVEMBER, region=region, requested_by=staff_user
    )
    assert (first.revision, second.revision) == (1, 2)
    assert first.file.name != second.file.name
    latest = runs.latest_done(
        kind="monthly", region=region, first=NOVEMBER.first, last=NOVEMBER.last
    )
    assert latest == second


def test_beat_makes_one_run_per_period_however_often_it_ticks(
    week, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        made = runs.schedule_periods([NOVEMBER])
        again = runs.schedule_periods([NOVEMBER])
    assert [r.region for r in made] == [region] and again == []
    assert ReportRun.objects.filter(kind="monthly").count() == 1


def test_a_claimed_run_is_not_produced_twice(
    week, region, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = runs.request_run(period=NOVEMBER, region=region, requested_by=staff_user)
    assert runs.produce(run.pk) is True
    assert runs.produce(run.pk) is False  # a second delivery of the task
    assert Notice.objects.filter(kind=NoticeKind.REPORT_READY).count() == 1


def test_a_failed_run_records_its_error_and_leaves_no_file(
    week, region, staff_user, media, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.reports import workbook

    def broken(run, scheme, path, progress):
        with open(path, "wb") as handle:
            handle.write(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(workbook, "write_report", broken)
    run = produced(
        django_capture_on_commit_callbacks, period=NOVEMBER, region=region, requested_by=staff_user
    )
    assert run.status == RunStatus.FAILED and "disk full" in run.error and not run.file
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_catching_up_makes_the_missed_months_and_quarters_once(
    week, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        made = runs.catch_up()
        again = runs.catch_up()
    periods = {(r.kind, r.first_day) for r in made}
    assert ("monthly", date(2026, 11, 1)) in periods  # the week's month
    assert ("quarterly", date(2026, 10, 1)) not in periods or date.today() >= date(2027, 1, 1)
    assert again == []
    call_command("catch_up_reports")
    assert ReportRun.objects.count() == len(made)


def test_a_run_left_running_by_a_dead_worker_is_queued_again(
    week, region, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = runs.request_run(period=NOVEMBER, region=region, requested_by=staff_user)
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        runs.catch_up()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_periods_and_their_comparisons():
    assert previous_month(date(2026, 1, 1)) == Period(
        "monthly", date(2025, 12, 1), date(2025, 12, 31)
    )
    q = previous_quarter(date(2026, 4, 1))
    assert (q.first, q.last) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q.before() == Period("quarterly", date(2025, 10, 1), date(2025, 12, 31))
    assert q.year_before() == Period("quarterly", date(2025, 1, 1), date(2025, 3, 31))
    special = Period("special", date(2026, 3, 1), date(2026, 3, 10))
    assert special.before() == Period("special", date(2026, 2, 19), date(2026, 2, 28))
    leap = Period("monthly", date(2028, 2, 1), date(2028, 2, 29))
    assert leap.year_before() == Period("monthly", date(2027, 2, 1), date(2027, 2, 28))


def test_the_report_schedules_run_at_one_in_the_morning_shanghai_time(db):
    monthly = PeriodicTask.objects.get(task="apps.reports.tasks.monthly_reports")
    quarterly = PeriodicTask.objects.get(task="apps.reports.tasks.quarterly_reports")
    for task in (monthly, quarterly):
        c = task.crontab
        assert (c.minute, c.hour, c.day_of_month, str(c.timezone)) == (
            "0",
            "1",
            "1",
            "Asia/Shanghai",
        )
    assert monthly.crontab.month_of_year == "*"
    assert quarterly.crontab.month_of_year == "1,4,7,10"


def test_day_is_the_fixture_month():
    assert (DAY.year, DAY.month) == (2026, 11)


def test_the_demo_command_produces_what_it_queued(week, region, capsys):
    call_command("catch_up_reports", "--produce")
    november = ReportRun.objects.get(kind="monthly", region=region, first_day=NOVEMBER.first)
    assert november.status == RunStatus.DONE and november.file
    assert "已生成" in capsys.readouterr().out
    daily = sheet_rows(november, "每日走势")
    assert daily[0] == ["日期", "受理工单数", "办结数"]
    assert sum(row[1] for row in daily[1:]) == 4
