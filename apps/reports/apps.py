from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Reports")

    def ready(self):
        from celery.signals import beat_init

        beat_init.connect(_catch_up_when_beat_starts, dispatch_uid="reports_catch_up")


def _catch_up_when_beat_starts(sender=None, **kwargs):
    """Beat was down over a 1st of the month: the runs it missed are queued now (by a
    worker, not in the beat process)."""
    from .tasks import catch_up_reports

    catch_up_reports.delay()
