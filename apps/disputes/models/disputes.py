"""Disputed-jurisdiction items (管辖争议事项): who claims, declines or shares a matter, the
evidence from tickets, and the decision that settles it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.serials import YearNumbered

from ..workflow import UNDECIDED, DisputeStatus, Move

DISPUTE_SERIES = "争议"


class DisputeOrigin(models.TextChoices):
    RETURNED_TICKETS = "returned_tickets", _("From returned tickets")
    UNIT = "unit", _("Raised by a unit")
    STAFF = "staff", _("Raised by staff")
    DETECTION = "detection", _("Proposed by detection")


class DisputeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff, leadership and the platforms (a decision tells them who handles a
        matter) all; a liaison those that involve the own unit."""
        if user.is_command_staff or user.is_leadership or getattr(user, "platform", ""):
            return self
        if user.is_liaison:
            return self.filter(
                Q(parties__unit_id=user.unit_id)
                | Q(lead_unit_id=user.unit_id)
                | Q(co_units__id=user.unit_id)
            ).distinct()
        return self.none()

    def undecided(self):
        return self.filter(status__in=UNDECIDED)


class JurisdictionDispute(YearNumbered, models.Model):
    """A matter whose responsible unit is disputed, from raising to the list that settles it."""

    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="disputes",
        help_text=_("The region whose diversion list the decision changes."),
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    matter = models.TextField(
        _("matter in question"), help_text=_("What callers ask for, in plain words.")
    )
    item_code = models.CharField(
        _("item code"),
        max_length=32,
        blank=True,
        help_text=_("The diversion item in question, where one exists (e.g. H2P-011)."),
    )
    diversion_item = models.ForeignKey(
        "diversion.DiversionItem",
        verbose_name=_("diversion item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The item as it stood when the dispute was raised."),
    )
    origin = models.CharField(_("raised"), max_length=24, choices=DisputeOrigin.choices)
    raised_by_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("raised by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=24, choices=DisputeStatus.choices, default=DisputeStatus.RAISED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    closing_note = models.TextField(_("reason for withdrawal or merger"), blank=True)

    # The decision (决定): who leads, who assists, how the matter is handled, from when.
    lead_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("lead unit (主办单位)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_disputes",
    )
    co_units = models.ManyToManyField(
        "directory.Unit",
        verbose_name=_("co-units (协办单位)"),
        blank=True,
        related_name="co_disputes",
    )
    handling_norm = models.TextField(_("handling norm (处置规范)"), blank=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_in = models.ForeignKey(
        "disputes.JointMeeting",
        verbose_name=_("decided at meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    draft_list = models.ForeignKey(
        "diversion.DiversionList",
        verbose_name=_("draft list version for the decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implemented_in = models.ForeignKey(
        "diversion.DiversionList",
        verbose_name=_("implemented in list version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("jurisdiction dispute")
        verbose_name_plural = _("jurisdiction disputes")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="one_dispute_number_per_year"),
        ]
        indexes = [models.Index(fields=["region", "item_code"], name="dispute_region_item")]

    # 争议〔2026〕001: the first dispute raised in 2026.
    number_series, number_digits = DISPUTE_SERIES, 3

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED


class Position(models.TextChoices):
    CLAIMS = "claims", _("Claims the matter")
    DECLINES = "declines", _("Declines the matter")
    SHARES = "shares", _("Would share it")
    NOT_STATED = "not_stated", _("Not yet stated")


class DisputeParty(models.Model):
    """A unit involved in a dispute and the position it states."""

    dispute = models.ForeignKey(
        JurisdictionDispute,
        verbose_name=_("dispute"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(
        _("position stated"), max_length=16, choices=Position.choices, default=Position.NOT_STATED
    )
    statement = models.TextField(_("statement"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit involved")
        verbose_name_plural = _("units involved")
        ordering = ["dispute", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "unit"], name="one_party_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_position_display()}"


class DisputeEvidence(models.Model):
    """A ticket that shows the dispute: returned, re-routed, or just of the matter."""

    dispute = models.ForeignKey(
        JurisdictionDispute,
        verbose_name=_("dispute"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence ticket")
        verbose_name_plural = _("evidence tickets")
        ordering = ["dispute", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "ticket"], name="one_evidence_per_ticket"),
        ]

    def __str__(self):
        return str(self.ticket)


class DisputeEvent(models.Model):
    """What happened to a dispute, append-only: each move, position and piece of evidence."""

    dispute = models.ForeignKey(
        JurisdictionDispute,
        verbose_name=_("dispute"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    move = models.CharField(_("what"), max_length=24)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["dispute", "at", "id"]

    def __str__(self):
        return f"{self.what} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Dispute events are a record and are never changed."))
        super().save(*args, **kwargs)

    @property
    def what(self) -> str:
        return str(EVENT_WORDS.get(self.move, self.move))


# Events that are not moves of the workflow.
EVENT_WORDS = {
    **dict(Move.choices),
    "raised": _("Raised"),
    "position": _("Position recorded"),
    "evidence": _("Evidence added"),
    "draft": _("Draft list version opened"),
    "rerouted": _("Waiting tickets re-routed"),
}
