"""Detection: matters whose tickets units keep returning or the office keeps re-routing
are proposed as disputes, for staff to confirm or dismiss.

A matter is an item code of a region's diversion list (the same in every version). Two
detection runs at once never propose a matter twice: one pending proposal per matter is
a unique constraint, and the second insert is skipped.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.diversion.models import DiversionItem
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue, staff_recipients
from apps.tickets.lifecycle import EventType
from apps.tickets.models import TicketEvent

from . import services
from .models import (
    DisputeOrigin,
    DisputePolicy,
    DisputeProposal,
    JurisdictionDispute,
    ProposalStatus,
)
from .workflow import CLOSED

REGION = "ticket__diversion_item__diversion_list__region_id"
CODE = "ticket__diversion_item__item_code"


def disputed_matters(*, since, policy: DisputePolicy) -> list[dict]:
    """Matters of tickets received since ``since`` that different units returned, or that
    were re-routed, often enough: {region_id, item_code, returning_units, reroutes,
    ticket_ids}. One grouped query, then one for the tickets of the matters found."""
    events = TicketEvent.objects.filter(
        type__in=(EventType.RETURNED, EventType.REROUTED),
        ticket__received_at__gte=since,
        ticket__diversion_item__isnull=False,
    )
    matters = list(
        events.values(REGION, CODE)
        .annotate(
            returning_units=Count("unit", filter=Q(type=EventType.RETURNED), distinct=True),
            reroutes=Count("id", filter=Q(type=EventType.REROUTED)),
        )
        .filter(
            Q(returning_units__gte=policy.min_returning_units) | Q(reroutes__gt=policy.max_reroutes)
        )
        .order_by(REGION, CODE)
    )
    if not matters:
        return []
    found = {(m[REGION], m[CODE]): {**m, "ticket_ids": set()} for m in matters}
    wanted = Q()
    for region_id, code in found:
        wanted |= Q(**{REGION: region_id, CODE: code})
    for region_id, code, ticket_id in events.filter(wanted).values_list(REGION, CODE, "ticket_id"):
        found[(region_id, code)]["ticket_ids"].add(ticket_id)
    return [
        {
            "region_id": region_id,
            "item_code": code,
            "returning_units": m["returning_units"],
            "reroutes": m["reroutes"],
            "ticket_ids": sorted(m["ticket_ids"]),
        }
        for (region_id, code), m in found.items()
    ]


def detect(now=None, *, since=None) -> list[DisputeProposal]:
    """Propose the disputed matters not yet in a dispute or a proposal; tell staff once
    about what is new. A dismissed matter is proposed again once its evidence doubled.
    ``since`` (default: the policy's period before ``now``) is where the evidence starts."""
    now = now or timezone.now()
    policy = DisputePolicy.current()
    since = since or now - timedelta(days=policy.detection_period_days)
    proposed = []
    for matter in disputed_matters(since=since, policy=policy):
        if _already_handled(matter):
            continue
        proposal = _propose(matter, now)
        if proposal is not None:
            proposed.append(proposal)
    if proposed:
        issue(_proposals_notice(proposed), now=now)
    return proposed


def _already_handled(matter) -> bool:
    """In an open dispute, pending review, or dismissed on half the evidence or more."""
    key = {"region_id": matter["region_id"], "item_code": matter["item_code"]}
    if JurisdictionDispute.objects.filter(**key).exclude(status__in=CLOSED).exists():
        return True
    earlier = DisputeProposal.objects.filter(**key).order_by("-proposed_at", "-id").first()
    if earlier is None or earlier.status == ProposalStatus.CONFIRMED:
        return False  # never proposed, or its dispute has ended since
    if earlier.status == ProposalStatus.PENDING:
        return True
    return len(matter["ticket_ids"]) < 2 * earlier.evidence_count


def _propose(matter, now) -> DisputeProposal | None:
    item = (
        DiversionItem.objects.filter(
            diversion_list__region_id=matter["region_id"], item_code=matter["item_code"]
        )
        .order_by("-diversion_list__version")
        .first()
    )
    try:
        with transaction.atomic():
            proposal = DisputeProposal.objects.create(
                region_id=matter["region_id"],
                item_code=matter["item_code"],
                diversion_item=item,
                proposed_at=now,
                returning_units=matter["returning_units"],
                reroutes=matter["reroutes"],
                evidence_count=len(matter["ticket_ids"]),
            )
            proposal.tickets.set(matter["ticket_ids"])
    except IntegrityError:
        return None  # another run proposed it a moment ago
    return proposal


def _proposals_notice(proposals) -> Draft:
    lines = [
        _("%(code)s %(matter)s: returned by %(units)d unit(s), re-routed %(reroutes)d time(s)")
        % {
            "code": p.item_code,
            "matter": p.diversion_item.matter if p.diversion_item else "",
            "units": p.returning_units,
            "reroutes": p.reroutes,
        }
        for p in proposals
    ]
    return Draft(
        kind=NoticeKind.DISPUTE,
        title=_("%(n)d matter(s) proposed as jurisdiction disputes") % {"n": len(proposals)},
        body="\n".join([_("Confirm each as a dispute, or dismiss it with a reason."), *lines]),
        recipients=staff_recipients(),
        link=reverse("admin:disputes_disputeproposal_changelist"),
    )


@transaction.atomic
def confirm(proposal: DisputeProposal, *, actor) -> JurisdictionDispute | None:
    """The proposal becomes a dispute with its tickets as evidence; None when someone
    has reviewed it already (claimed with a conditional UPDATE)."""
    if not _claim(proposal, ProposalStatus.CONFIRMED, actor):
        return None
    proposal.refresh_from_db()
    item = proposal.diversion_item
    title = item.subcategory or item.category if item else proposal.item_code
    dispute = services.raise_dispute(
        region=proposal.region,
        title=_("Who handles “%(matter)s”") % {"matter": title},
        matter=item.matter if item else proposal.item_code,
        origin=DisputeOrigin.DETECTION,
        raised_by=actor,
        item=item,
        tickets=list(proposal.tickets.only("id", "unit_id")),
    )
    DisputeProposal.objects.filter(pk=proposal.pk).update(dispute=dispute)
    return dispute


@transaction.atomic
def dismiss(proposal: DisputeProposal, *, actor, reason: str) -> bool:
    if not reason.strip():
        raise services.DisputeRefused(_("Say why the proposal is dismissed."))
    return _claim(proposal, ProposalStatus.DISMISSED, actor, dismissal_reason=reason.strip())


def _claim(proposal, status, actor, **fields) -> bool:
    return bool(
        DisputeProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
            status=status, reviewed_by=actor, reviewed_at=timezone.now(), **fields
        )
    )
