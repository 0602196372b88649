from celery import shared_task

from . import services
from .models import Unit


@shared_task(acks_late=True)
def remind_stale_contacts():
    """Daily: remind the liaison of every unit whose contacts are overdue for confirmation."""
    sent = 0
    for unit_id in Unit.objects.stale().values_list("pk", flat=True).iterator():
        sent += services.remind_stale_unit(unit_id)
    return sent
