"""Run the overdue scan now (Celery Beat runs it every few minutes): warnings,
supervision notices, escalations and circulars that are due, then their delivery."""

from django.core.management.base import BaseCommand

from apps.tickets import supervision


class Command(BaseCommand):
    help = "Issue the overdue notices and circulars that are due now, and deliver them."

    def handle(self, *args, **options):
        result = supervision.scan_overdue()
        self.stdout.write(
            f"Issued {result['issued']:,} notices and {result['circulated']:,} circulars; "
            f"delivered {result['delivered']:,}."
        )
