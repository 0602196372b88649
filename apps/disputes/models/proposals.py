"""Detection's proposals: matters that look disputed, for staff to confirm or dismiss."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .disputes import JurisdictionDispute


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed as a dispute")
    DISMISSED = "dismissed", _("Dismissed")


class DisputeProposal(models.Model):
    """A matter detection found disputed: staff confirm it or dismiss it with a reason.

    One pending proposal per matter (the unique constraint keeps two detection runs from
    proposing it twice); a dismissed one is proposed again only once the evidence has
    doubled (``evidence_count``)."""

    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField(_("item code"), max_length=32)
    diversion_item = models.ForeignKey(
        "diversion.DiversionItem",
        verbose_name=_("diversion item"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    returning_units = models.PositiveIntegerField(_("units that returned tickets"))
    reroutes = models.PositiveIntegerField(_("re-routings"))
    evidence_count = models.PositiveIntegerField(_("tickets as evidence"))
    tickets = models.ManyToManyField(
        "tickets.Ticket", verbose_name=_("tickets"), related_name="+", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    dispute = models.OneToOneField(
        JurisdictionDispute,
        verbose_name=_("dispute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )

    class Meta:
        verbose_name = _("proposed dispute")
        verbose_name_plural = _("proposed disputes")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "item_code"],
                condition=Q(status="pending"),
                name="one_pending_proposal_per_matter",
            ),
        ]

    def __str__(self):
        return f"{self.item_code} ({self.region})"
