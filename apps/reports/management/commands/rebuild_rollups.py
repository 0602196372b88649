from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.reports import rollups
from apps.tickets.models import Ticket


class Command(BaseCommand):
    help = _("Rebuild the daily figures of a range of days (every day with tickets by default).")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="YYYY-MM-DD")

    def handle(self, *args, first=None, last=None, **options):
        span = Ticket.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
        if span["first"] is None and not (first and last):
            self.stdout.write(_("No tickets: nothing to rebuild."))
            return
        first = self._day(first, "--from") or timezone.localdate(span["first"])
        last = self._day(last, "--to") or timezone.localdate(max(span["last"], timezone.now()))
        if first > last:
            raise CommandError(_("--from is after --to."))
        written = rollups.rebuild(first, last)
        self.stdout.write(
            _("Rebuilt %(first)s to %(last)s: %(rows)d rows.")
            % {"first": first, "last": last, "rows": written}
        )

    @staticmethod
    def _day(text, option):
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("%(option)s: not a date (use YYYY-MM-DD): %(text)s")
                % {"option": option, "text": text}
            ) from None
