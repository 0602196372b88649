"""What staff, liaisons and meetings read about disputes."""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.directory.models import Unit
from apps.tickets.lifecycle import EventType
from apps.tickets.models import ReturnReason, Ticket, TicketEvent

from .models import JurisdictionDispute


def matter_tickets(*, region_id: int, item_code: str):
    """Tickets routed by the matter's item in any version of the region's list."""
    return Ticket.objects.filter(
        diversion_item__item_code=item_code,
        diversion_item__diversion_list__region_id=region_id,
    )


def evidence_summary(dispute: JurisdictionDispute) -> dict:
    """The evidence in figures: tickets per month received, per unit (held now and
    returned), and the reasons given for returning them."""
    ticket_ids = dispute.evidence.values("ticket_id")
    per_month = (
        Ticket.objects.filter(pk__in=ticket_ids)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    returns = TicketEvent.objects.filter(ticket_id__in=ticket_ids, type=EventType.RETURNED)
    returned_by = Counter(returns.values_list("unit_id", flat=True))
    held_by = Counter(Ticket.objects.filter(pk__in=ticket_ids).values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=set(returned_by) | set(held_by)).select_related("region")
    reasons = Counter(r.get("reason_code", "") for r in returns.values_list("data", flat=True))
    reason_names = dict(ReturnReason.choices)
    return {
        "tickets": sum(held_by.values()),
        "per_month": [(row["month"].strftime("%Y-%m"), row["n"]) for row in per_month],
        "per_unit": sorted(
            ((u.label, held_by[u.pk], returned_by[u.pk]) for u in units),
            key=lambda row: (-row[2], -row[1], row[0]),
        ),
        "reasons": [
            (str(reason_names.get(code, code or _("No reason given"))), n)
            for code, n in reasons.most_common()
        ],
    }


def ticket_flags(ticket, user) -> list[tuple[str, str]]:
    """A ticket of a matter under an undecided dispute: handled meanwhile by the platform
    that first received it (首接负责制). Registered with ``tickets.flags``."""
    if ticket.diversion_item_id is None:
        return []
    item = ticket.diversion_item
    disputes = JurisdictionDispute.objects.undecided().filter(
        region_id=item.diversion_list.region_id, item_code=item.item_code
    )
    return [
        (
            _(
                "The matter is disputed (%(number)s): until it is decided, the platform that "
                "first received the call handles it (首接负责制)."
            )
            % {"number": dispute.number},
            reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk])
            if JurisdictionDispute.objects.visible_to(user).filter(pk=dispute.pk).exists()
            else "",
        )
        for dispute in disputes
    ]
