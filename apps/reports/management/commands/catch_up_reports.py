from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.reports import runs


class Command(BaseCommand):
    help = _("Queue the monthly and quarterly reports Celery Beat missed.")

    def handle(self, *args, **options):
        made = runs.catch_up()
        self.stdout.write(_("%(n)d report(s) queued.") % {"n": len(made)})
