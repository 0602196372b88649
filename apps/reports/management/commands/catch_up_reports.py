from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.reports import runs
from apps.reports.models import ReportRun, RunStatus


class Command(BaseCommand):
    help = _("Queue the monthly and quarterly reports Celery Beat missed.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--produce",
            action="store_true",
            help=_("Produce the queued reports here and now instead of leaving them to a worker."),
        )

    def handle(self, *args, produce=False, **options):
        made = runs.catch_up()
        self.stdout.write(_("%(n)d report(s) queued.") % {"n": len(made)})
        if produce:
            queued = ReportRun.objects.filter(status=RunStatus.QUEUED).order_by("pk")
            # catch_up has just refreshed the rollups: once is enough for the batch.
            done = sum(
                runs.produce(pk, refresh=False) for pk in queued.values_list("pk", flat=True)
            )
            self.stdout.write(_("%(n)d report(s) produced.") % {"n": done})
