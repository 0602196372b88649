from celery import shared_task

from . import supervision


@shared_task(acks_late=True)
def scan_overdue_tickets():
    """Every minute (beat): warnings, supervision notices, escalations, circulars."""
    return supervision.scan_overdue()
