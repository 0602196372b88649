"""How a notice reaches a person: one ``Transport`` per channel.

A transport gets the claimed deliveries of one pass for its channel and answers which
of them failed, and why (one that ``delivers_on_issue`` is done when the notice is
written); the delivery pass (``services.deliver_pending``) records the
outcome and schedules retries, so a transport never touches the database.

Adding SMS: subclass ``Transport`` with ``channel = Channel.SMS``, send each recipient's
text through the operator's gateway in ``send`` (the address is the mobile number), add
it to ``TRANSPORTS``, and have the recipient selector (``directory.selectors.
notice_recipients``) add ``Recipient(channel=Channel.SMS, address=mobile)`` for whom it
should reach by SMS. Nothing else changes.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from .models import Channel

logger = logging.getLogger(__name__)


class Transport:
    channel: str
    # Delivered when issued, by writing the notice (the inbox is the database itself).
    delivers_on_issue = False

    def send(self, deliveries) -> dict[int, str]:
        """Send ``deliveries`` (``services.Delivery``: the address and the notice's
        text; a new transport needing more adds it there); return {delivery id: error}
        for those that failed."""
        raise NotImplementedError


class InAppTransport(Transport):
    """The inbox: the notice is there as soon as it is issued."""

    channel = Channel.IN_APP
    delivers_on_issue = True

    def send(self, deliveries):
        return {}


class EmailTransport(Transport):
    """One digest per address per pass, whatever the number of notices for it."""

    channel = Channel.EMAIL

    def send(self, deliveries):
        by_address = {}
        for delivery in deliveries:
            by_address.setdefault(delivery.address, []).append(delivery)
        failed = {}
        connection = get_connection()
        for address, group in sorted(by_address.items()):
            try:
                connection.send_messages([self._digest(address, [d.notice for d in group])])
            except OSError as exc:  # the server refused or is down: retried later
                logger.warning("Email to %s failed: %s", address, exc)
                failed.update({d.pk: f"{type(exc).__name__}: {exc}" for d in group})
        return failed

    def _digest(self, address, notices):
        if len(notices) == 1:
            subject = notices[0].title
        else:
            subject = _("%(n)d notices from the joint-meeting office") % {"n": len(notices)}
        blocks = [f"{n.title}\n{n.body}" for n in notices]
        footer = _("Please sign in to the back-office to read and acknowledge.")
        return EmailMessage(
            subject, "\n\n".join([*blocks, footer]), settings.DEFAULT_FROM_EMAIL, [address]
        )


TRANSPORTS = {t.channel: t for t in (InAppTransport(), EmailTransport())}
