from celery import shared_task
from django.utils import timezone

from . import rollups, runs
from .periods import previous_month, previous_quarter


@shared_task(acks_late=True)
def refresh_rollups():
    """Every ten minutes (beat): rebuild the rollups of the days whose tickets changed."""
    return rollups.refresh_changed()


@shared_task(acks_late=True)
def produce_report(run_id):
    """On commit of a run: write its workbook (a second delivery of the task is a no-op)."""
    return runs.produce(run_id)


@shared_task(acks_late=True)
def monthly_reports():
    """01:00 on the 1st (beat, Asia/Shanghai): last month's report of every region."""
    return len(runs.schedule_periods([previous_month(timezone.localdate())]))


@shared_task(acks_late=True)
def quarterly_reports():
    """01:00 on 1 January, April, July and October: last quarter's reports."""
    return len(runs.schedule_periods([previous_quarter(timezone.localdate())]))


@shared_task(acks_late=True)
def catch_up_reports():
    """When beat starts (and on demand): the scheduled reports it missed."""
    return len(runs.catch_up())
