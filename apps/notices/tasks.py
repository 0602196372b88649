from celery import shared_task

from . import services


@shared_task(acks_late=True)
def deliver_notices():
    """After each issue (on commit) and every minute (beat): retries and stuck ones too."""
    return services.deliver_pending()
