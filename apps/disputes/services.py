"""Raising disputes, the positions of the units, the evidence, and moving a dispute on.

Every change goes through here, in one transaction, and leaves a ``DisputeEvent``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.serials import take_serials
from apps.tickets.lifecycle import EventType
from apps.tickets.models import Ticket, TicketEvent

from .models import (
    DISPUTE_SERIES,
    AgendaItem,
    DisputeEvent,
    DisputeEvidence,
    DisputeParty,
    JurisdictionDispute,
    MeetingStatus,
    Position,
)
from .workflow import CLOSED, MOVES, Move, may_move


class DisputeRefused(ValidationError):
    """A change the dispute's status or the rules do not allow; says why."""


def may_manage(user) -> bool:
    """Raising, moving and deciding disputes is the office's work."""
    return user.is_command_staff


def may_state_position(user, dispute: JurisdictionDispute, unit) -> bool:
    """Staff for any unit involved; a liaison for the own unit, while undecided."""
    if not dispute.is_undecided:
        return False
    if user.is_command_staff:
        return True
    return user.is_liaison and unit.pk == user.unit_id


@transaction.atomic
def raise_dispute(
    *,
    region,
    title: str,
    matter: str,
    origin: str,
    raised_by=None,
    raised_by_unit=None,
    item=None,
    units=(),
    tickets=(),
    now=None,
) -> JurisdictionDispute:
    """A new numbered dispute (争议〔2026〕001). The units involved are those named, the
    unit that raised it, and every unit that held or returned one of its tickets."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    (serial,) = take_serials(series=DISPUTE_SERIES, year=year, count=1)
    dispute = JurisdictionDispute.objects.create(
        region=region,
        year=year,
        serial=serial,
        title=title.strip(),
        matter=matter.strip(),
        item_code=item.item_code if item else "",
        diversion_item=item,
        origin=origin,
        raised_by=raised_by,
        raised_by_unit=raised_by_unit,
        raised_at=now,
    )
    _event(dispute, "raised", actor=raised_by, at=now)
    involved = [u.pk for u in units] + ([raised_by_unit.pk] if raised_by_unit else [])
    _add_parties(dispute, involved)
    add_evidence(dispute=dispute, tickets=tickets, actor=raised_by, now=now)
    return dispute


def _add_parties(dispute, unit_ids) -> None:
    DisputeParty.objects.bulk_create(
        [DisputeParty(dispute=dispute, unit_id=pk) for pk in dict.fromkeys(unit_ids)],
        ignore_conflicts=True,  # already involved
    )


@transaction.atomic
def add_evidence(*, dispute: JurisdictionDispute, tickets, actor=None, now=None) -> int:
    """Link tickets as evidence; the units that held or returned them become involved.
    Returns how many were new."""
    ticket_ids = [t.pk for t in tickets]
    if not ticket_ids:
        return 0
    known = set(
        DisputeEvidence.objects.filter(dispute=dispute, ticket_id__in=ticket_ids).values_list(
            "ticket_id", flat=True
        )
    )
    new = [pk for pk in dict.fromkeys(ticket_ids) if pk not in known]
    DisputeEvidence.objects.bulk_create(
        [
            DisputeEvidence(dispute=dispute, ticket_id=pk, added_at=now or timezone.now())
            for pk in new
        ],
        ignore_conflicts=True,
    )
    holders = [t.unit_id for t in tickets]
    returners = TicketEvent.objects.filter(
        ticket_id__in=ticket_ids, type=EventType.RETURNED, unit__isnull=False
    ).values_list("unit_id", flat=True)
    _add_parties(dispute, [*holders, *returners])
    if new:
        _event(dispute, "evidence", actor=actor, note=_("%(n)d ticket(s)") % {"n": len(new)})
    return len(new)


@transaction.atomic
def record_position(
    *, dispute: JurisdictionDispute, unit, position: str, statement: str = "", actor
) -> DisputeParty:
    """The unit's position (claims / declines / shares), by its liaison or by staff."""
    dispute = _locked(dispute)
    if not may_state_position(actor, dispute, unit):
        raise DisputeRefused(_("You may not record a position for this unit on this dispute."))
    if position not in Position.values or position == Position.NOT_STATED:
        raise DisputeRefused(_("Choose whether the unit claims, declines or would share it."))
    party, _created = DisputeParty.objects.update_or_create(
        dispute=dispute,
        unit=unit,
        defaults={
            "position": position,
            "statement": statement.strip(),
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    _event(
        dispute,
        "position",
        actor=actor,
        note=f"{unit.label}：{party.get_position_display()} {party.statement}".strip(),
    )
    return party


def _locked(dispute) -> JurisdictionDispute:
    return JurisdictionDispute.objects.select_for_update().get(pk=dispute.pk)


def _move(dispute, move, *, actor, note="", **changes) -> JurisdictionDispute:
    """Make ``move`` on the locked dispute, or refuse saying why."""
    dispute = _locked(dispute)
    if not may_move(move, dispute.status):
        raise DisputeRefused(
            _("The dispute is “%(status)s”: “%(move)s” is not possible now.")
            % {"status": dispute.get_status_display(), "move": Move(move).label}
        )
    dispute.status = MOVES[move][1]
    for field, value in changes.items():
        setattr(dispute, field, value)
    dispute.save()
    _event(dispute, move, actor=actor, note=note)
    return dispute


def _event(dispute, move, *, actor=None, note="", at=None) -> None:
    DisputeEvent.objects.create(
        dispute=dispute, move=move, actor=actor, note=note, at=at or timezone.now()
    )


@transaction.atomic
def start_consultation(dispute, *, actor, note: str = "") -> JurisdictionDispute:
    return _move(dispute, Move.CONSULT, actor=actor, note=note.strip())


@transaction.atomic
def withdraw(dispute, *, actor, reason: str) -> JurisdictionDispute:
    if not reason.strip():
        raise DisputeRefused(_("Say why the dispute is withdrawn."))
    return _move(dispute, Move.WITHDRAW, actor=actor, note=reason.strip(), closing_note=reason)


@transaction.atomic
def merge(dispute, *, into: JurisdictionDispute, actor, note: str = "") -> JurisdictionDispute:
    """Merge into another open dispute: its units and evidence go along."""
    if into.pk == dispute.pk:
        raise DisputeRefused(_("A dispute cannot be merged into itself."))
    into = _locked(into)
    if into.status in CLOSED or into.merged_into_id:
        raise DisputeRefused(
            _("%(number)s is “%(status)s”: merge into an open dispute.")
            % {"number": into.number, "status": into.get_status_display()}
        )
    merged = _move(
        dispute,
        Move.MERGE,
        actor=actor,
        note=f"→ {into.number} {note}".strip(),
        merged_into=into,
        closing_note=note.strip(),
    )
    _add_parties(into, merged.parties.values_list("unit_id", flat=True))
    add_evidence(
        dispute=into,
        tickets=list(_tickets_of(merged)),
        actor=actor,
    )
    return merged


def _tickets_of(dispute):
    return Ticket.objects.filter(pk__in=dispute.evidence.values("ticket_id")).only("id", "unit_id")


@transaction.atomic
def schedule(dispute, *, meeting, actor) -> JurisdictionDispute:
    """On the agenda of ``meeting`` (the meeting's side is ``meetings.put_on_agenda``)."""
    return _move(dispute, Move.SCHEDULE, actor=actor, note=str(meeting))


@transaction.atomic
def unschedule(dispute, *, actor, note: str = "") -> JurisdictionDispute:
    """Off the agenda of the meetings not yet held, back to consultation."""
    dispute = _move(dispute, Move.UNSCHEDULE, actor=actor, note=note.strip())
    AgendaItem.objects.filter(
        dispute=dispute, meeting__status__in=(MeetingStatus.DRAFT, MeetingStatus.CONFIRMED)
    ).delete()
    return dispute


@transaction.atomic
def decide(
    dispute,
    *,
    lead_unit,
    co_units=(),
    handling_norm: str,
    effective_date,
    actor,
    meeting=None,
) -> JurisdictionDispute:
    """Record the decision: the lead unit (主办), co-units (协办), the handling norm and
    from when it applies, and the meeting that made it. Each unit must be able to answer
    for the dispute's region."""
    problems = {}
    for field, units in (("lead_unit", [lead_unit]), ("co_units", co_units)):
        for unit in units:
            if not dispute.region.serves(unit.region):
                problems.setdefault(field, []).append(
                    _("%(unit)s belongs to %(unit_region)s, which does not answer for %(region)s.")
                    % {
                        "unit": unit.label,
                        "unit_region": unit.region.name,
                        "region": dispute.region.name,
                    }
                )
    if lead_unit in co_units:
        problems.setdefault("co_units", []).append(_("The lead unit cannot also be a co-unit."))
    if not handling_norm.strip():
        problems["handling_norm"] = [_("Write down the handling norm (处置规范).")]
    if problems:
        raise DisputeRefused(problems)
    dispute = _move(
        dispute,
        Move.DECIDE,
        actor=actor,
        note=f"{lead_unit.label} {handling_norm.strip()}",
        lead_unit=lead_unit,
        handling_norm=handling_norm.strip(),
        effective_date=effective_date,
        decided_at=timezone.now(),
        decided_by=actor,
        decided_in=meeting,
    )
    dispute.co_units.set(co_units)
    _add_parties(dispute, [lead_unit.pk, *(u.pk for u in co_units)])
    return dispute
