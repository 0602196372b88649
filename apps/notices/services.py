import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notice

logger = logging.getLogger(__name__)


def notify(*, recipients, title, body, kind, unit=None, extra_emails=()):
    """Put a notice in each recipient's inbox and send one email copy to all of them."""
    recipients = list(recipients)
    notices = Notice.objects.bulk_create(
        Notice(recipient=user, unit=unit, kind=kind, title=title, body=body) for user in recipients
    )
    addresses = sorted({u.email for u in recipients if u.email} | set(extra_emails))
    if addresses:
        try:
            send_mail(title, body, settings.DEFAULT_FROM_EMAIL, addresses)
        except OSError:
            # The in-app notice is the record; a mail server outage must not lose it.
            logger.exception("Email for notice %r could not be sent", title)
        else:
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    return notices


def mark_read(notice: Notice) -> None:
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())


def acknowledge(notice: Notice) -> None:
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    Notice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(acknowledged_at=now)
