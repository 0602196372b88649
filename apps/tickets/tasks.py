from celery import shared_task

from . import services


@shared_task(acks_late=True)
def scan_overdue_tickets():
    """Every minute (beat): warnings, supervision notices, escalations, circulars."""
    return services.scan_overdue()


@shared_task(acks_late=True)
def deliver_supervision_notices():
    return services.deliver_notices()
