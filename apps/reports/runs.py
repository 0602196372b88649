"""Producing reports: scheduled runs, people's runs and reruns, and catching up.

A run is a row before it is a file. Celery Beat's runs are revision 1 of their period,
made with one INSERT that a unique constraint lets through once: a duplicate tick, a
second beat process or a catch-up racing the schedule make no second run. A person's
run (a special report, or a rerun) takes the next revision. Producing claims the run
with a conditional UPDATE (queued → running), so two workers never write one report;
the file is written beside its final name and moved into place, so a killed worker
leaves no half-written file behind, and a run left running past the policy's limit is
queued again.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.jobs import claim_job, record_failure, write_in_place
from apps.directory.models import Region
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue, recipients_of_accounts, staff_recipients

from . import rollups
from .models import DailyRollup, ReportPolicy, ReportRun, RunStatus
from .models.runs import report_path
from .periods import Period, previous_month, previous_quarter
from .selectors import scheme_for


def _start(run_id):
    from .tasks import produce_report  # the task module imports this one

    transaction.on_commit(lambda: produce_report.delay(run_id))


def _create(*, period: Period, region: Region, revision: int, requested_by=None) -> ReportRun:
    """One INSERT, in its own savepoint: a taken revision raises ``IntegrityError``."""
    with transaction.atomic():
        return ReportRun.objects.create(
            kind=period.kind,
            region=region,
            first_day=period.first,
            last_day=period.last,
            revision=revision,
            requested_by=requested_by,
        )


def schedule_run(*, period: Period, region: Region) -> ReportRun | None:
    """Celery Beat's run of ``period`` for ``region``: revision 1, once; None when it
    exists already."""
    try:
        run = _create(period=period, region=region, revision=1)
    except IntegrityError:
        return None
    _start(run.pk)
    return run


def request_run(*, period: Period, region: Region, requested_by) -> ReportRun:
    """A person's run: the next revision of that report (the first of a new period)."""
    for _attempt in range(5):
        same = ReportRun.objects.filter(
            kind=period.kind, region=region, first_day=period.first, last_day=period.last
        )
        revision = (same.aggregate(top=Max("revision"))["top"] or 0) + 1
        try:
            run = _create(
                period=period, region=region, revision=revision, requested_by=requested_by
            )
        except IntegrityError:  # someone took that revision a moment ago: the next one
            continue
        _start(run.pk)
        return run
    raise RuntimeError("No free revision after five attempts.")


def regions_with_tickets(period: Period) -> list[Region]:
    """The regions with tickets in ``period``, and the regions above them (a city's
    report covers its counties)."""
    ids = set(
        DailyRollup.objects.filter(day__gte=period.first, day__lte=period.last)
        .values_list("region_id", flat=True)
        .distinct()
    )
    regions = {}
    for region in Region.objects.filter(pk__in=ids).select_related("parent__parent"):
        for r in region.lineage():
            regions[r.pk] = r
    return sorted(regions.values(), key=lambda r: r.division_code)


def schedule_periods(periods: list[Period]) -> list[ReportRun]:
    """Beat's runs of ``periods`` for every region with tickets in them (the rollups
    brought up to date first: they say which regions had tickets)."""
    rollups.refresh_changed()
    runs = [
        schedule_run(period=period, region=region)
        for period in periods
        for region in regions_with_tickets(period)
    ]
    return [r for r in runs if r]


def catch_up(now=None) -> list[ReportRun]:
    """The monthly and quarterly runs Beat missed over the policy's months (and the ones
    whose worker died): what ``beat_init`` and ``manage.py catch_up_reports`` do."""
    now = now or timezone.now()
    policy = ReportPolicy.current()
    requeued = ReportRun.objects.filter(
        status=RunStatus.RUNNING,
        started_at__lt=now - timedelta(minutes=policy.stale_after_minutes),
    )
    for run_id in list(requeued.values_list("pk", flat=True)):
        if ReportRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.QUEUED, progress=0
        ):
            _start(run_id)
    today = timezone.localdate(now)
    months = [previous_month(today)]
    while len(months) < policy.catch_up_months:
        months.append(previous_month(months[-1].first))
    quarters = [previous_quarter(today)]
    while previous_quarter(quarters[-1].first).first >= months[-1].first:
        quarters.append(previous_quarter(quarters[-1].first))
    return schedule_periods(months + quarters)


def produce(run_id: int, *, refresh: bool = True) -> bool:
    """Write the report of a queued run; False when another worker has it. The rollups
    are brought up to date first, unless the caller just did (a batch of runs)."""
    from .workbook import write_report  # the workbook reads the runs' models

    mine = claim_job(ReportRun, run_id)
    if mine is None:
        return False
    run = ReportRun.objects.select_related("region").get(pk=run_id)
    try:
        if refresh:
            rollups.refresh_changed()
        scheme = scheme_for(run.last_day)
        name, counts = write_in_place(
            report_path(run, run.file_name()),
            lambda path: write_report(
                run, scheme, path, progress=lambda p: mine.update(progress=min(p, 99))
            ),
        )
    except Exception as exc:
        record_failure(mine, exc)
        return False
    with transaction.atomic():
        if not mine.update(
            status=RunStatus.DONE,
            file=name,
            progress=100,
            finished_at=timezone.now(),
            row_counts=counts,
            scheme=scheme,
        ):
            default_storage.delete(name)  # given up on and run again meanwhile: that one counts
            return False
        run.refresh_from_db()
        issue(_ready_notice(run))
    return True


def _ready_notice(run: ReportRun) -> Draft:
    leadership = User.objects.filter(groups__name=Role.LEADERSHIP, is_active=True)
    return Draft(
        kind=NoticeKind.REPORT_READY,
        title=_("Report ready: %(report)s") % {"report": run},
        body=_("%(report)s is ready to download from the reports page.") % {"report": run},
        recipients=list(dict.fromkeys(staff_recipients() + recipients_of_accounts(leadership))),
        link=reverse("admin:reports_reportrun_change", args=[run.pk]),
    )


def latest_done(*, kind: str, region: Region, first, last) -> ReportRun | None:
    """The latest revision of a report that was produced: the one downloaded by default."""
    return (
        ReportRun.objects.filter(
            kind=kind, region=region, first_day=first, last_day=last, status=RunStatus.DONE
        )
        .order_by("-revision")
        .first()
    )
