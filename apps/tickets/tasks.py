from celery import shared_task

from . import big_exports, supervision


@shared_task(acks_late=True)
def scan_overdue_tickets():
    """Every minute (beat): warnings, supervision notices, escalations, circulars."""
    return supervision.scan_overdue()


@shared_task(acks_late=True)
def export_tickets_in_background(export_id):
    """On commit of a big export: write it (a second delivery of the task is a no-op)."""
    from .exports_admin import listed_tickets  # the admin's filters make the list

    return big_exports.produce_export(export_id, listed=listed_tickets)
