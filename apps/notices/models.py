"""Every message the office sends a person, and its delivery to each recipient.

A ``Notice`` holds the whole text, once; a ``NoticeRecipient`` is one way it reaches one
person: the in-app inbox of an account, or an email address (a contact without an
account). Supervision notices, contact reminders, meeting agendas and report-ready
messages are all ``Notice``s; the apps that issue them keep their own records (a
numbered supervision notice, a meeting) and point at the notice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import SingletonModel


class NoticeKind(models.TextChoices):
    WARNING = "warning", _("Deadline warning")
    SUPERVISION = "supervision", _("Supervision notice (督办)")
    ESCALATION = "escalation", _("Escalated to the leader in charge")
    CONTACT_REMINDER = "contact_confirmation", _("Contact confirmation reminder")
    UNDELIVERABLE = "undeliverable", _("Undeliverable notices")
    DISPUTE = "dispute", _("Disputed jurisdiction")
    MEETING = "meeting", _("Joint meeting")
    ACTION_ITEM = "action_item", _("Meeting action item")
    REPORT_READY = "report_ready", _("Report ready")
    EXPORT_READY = "export_ready", _("Export ready")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting for delivery")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERABLE = "undeliverable", _("Undeliverable: nobody to receive it")


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The notices in this person's inbox."""
        return self.filter(
            Exists(NoticeRecipient.objects.filter(notice=OuterRef("pk"), user_id=user.pk))
        )

    def visible_to(self, user):
        return self if user.is_command_staff else self.for_user(user)


class Notice(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    number = models.CharField(
        _("number"), max_length=32, blank=True, help_text=_("督办〔2026〕000001, where numbered.")
    )
    addressed_to = models.CharField(
        _("addressed to"), max_length=200, blank=True, help_text=_("The unit or group it is for.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=200, blank=True)
    requires_acknowledgement = models.BooleanField(_("needs acknowledgement"), default=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: issued by the system."),
    )
    state = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # When staff were told that nobody could receive it (claimed: told once).
    reported_at = models.DateTimeField(_("reported to staff at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notice_unreported",
                condition=Q(state="undeliverable", reported_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NoticeRecipient(models.Model):
    """One notice on its way to one person by one channel."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="recipients"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # recipient_inbox leads with it
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=RecipientStatus.choices, default=RecipientStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel", "user"],
                condition=Q(user__isnull=False),
                name="one_delivery_per_notice_channel_account",
            ),
            models.UniqueConstraint(
                fields=["notice", "channel", "address"],
                condition=Q(user__isnull=True),
                name="one_delivery_per_notice_channel_address",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "notice"], name="recipient_inbox"),
            models.Index(
                fields=["next_attempt_at"],
                name="recipient_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return self.address or str(self.user)


class DeliveryPolicy(SingletonModel):
    """How delivery retries: the office's figures, edited in the admin."""

    max_attempts = models.PositiveSmallIntegerField(
        _("attempts before giving up"), default=5, help_text=_("Per recipient and channel.")
    )
    retry_after_minutes = models.PositiveIntegerField(
        _("minutes before a retry"),
        default=10,
        help_text=_("Doubled after each failed attempt."),
    )
    stale_after_minutes = models.PositiveIntegerField(
        _("minutes before a stuck delivery is taken again"),
        default=15,
        help_text=_("A worker that died while sending leaves its deliveries claimed."),
    )

    class Meta:
        verbose_name = _("delivery policy")
        verbose_name_plural = _("delivery policy")

    def __str__(self):
        return str(_("Delivery policy"))
