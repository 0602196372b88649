"""Writes to tickets: receipt, milestones and re-routing (the scan: ``supervision``).

Every change writes its ``TicketEvent`` in the same transaction.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .deadlines import DeadlineBook
from .lifecycle import (
    EVENT_TIME_FIELDS,
    HANDLING_EVENTS,
    MILESTONE_FIELDS,
    OPEN_STATUSES,
    REROUTABLE_STATUSES,
    TRANSITIONS,
    Status,
    unmet_deadlines,
)
from .models import NoticeLevel, SupervisionPolicy, Ticket, TicketAttachment, TicketEvent, Urgency

logger = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=5)


def may_record(user, ticket: Ticket, event_type) -> bool:
    """Who may record a milestone on a ticket: the one rule the admin and the API share.

    - command-centre staff: any event on any ticket (they record on a unit's behalf);
    - the ticket's source platform: any event on its own ticket (it follows the ticket
      it diverted, and its call-back gives the rating);
    - the other platform: the handling steps (sign, on site, reply, complete, return) of
      a ticket diverted to it and not restricted, never the rating;
    - a liaison: the handling steps of tickets whose responsible unit is their own (a
      co-unit helps, but does not answer for the ticket);
    - leadership: nothing (read-only).
    """
    if user.is_command_staff:
        return True
    platform = getattr(user, "platform", "")
    if platform:
        if platform == ticket.source_platform:
            return True
        return event_type in HANDLING_EVENTS and not ticket.restriction
    if user.is_liaison:
        return event_type in HANDLING_EVENTS and ticket.unit_id == user.unit_id
    return False


class TransitionRefused(ValidationError):
    """The ticket's state does not allow this event (the API answers 409)."""


def apply_deadlines(ticket: Ticket, start, book: DeadlineBook) -> None:
    """Compute and store the deadlines of the ticket's current routing, from ``start``."""
    due = book.compute(
        start=start,
        urgency=ticket.urgency,
        tier=ticket.unit.linkage_tier,
        needs_on_site=ticket.needs_on_site,
    )
    for milestone, (due_field, _met) in MILESTONE_FIELDS.items():
        setattr(ticket, due_field, due[milestone].at if milestone in due else None)
    ticket.warn_at = {m: d.warn_at.isoformat() for m, d in due.items() if d.warn_at}
    refresh_schedule(ticket, book.supervision)


def scan_moments(ticket, policy: SupervisionPolicy):
    """(moment, milestone, level or None for the circular, deadline) the scan acts on, of
    a ticket or of anything with its field names."""
    escalate = timedelta(minutes=policy.escalate_after_minutes)
    circulate = timedelta(minutes=policy.circulate_after_minutes)
    for milestone, due in unmet_deadlines(ticket).items():
        warn = ticket.warn_at.get(milestone)
        if warn:
            yield datetime.fromisoformat(warn), milestone, NoticeLevel.WARNING, due
        yield due, milestone, NoticeLevel.NOTICE, due
        yield due + escalate, milestone, NoticeLevel.ESCALATION, due
        if ticket.circular_at is None:
            yield due + circulate, milestone, None, due


def refresh_schedule(ticket: Ticket, policy=None) -> None:
    """Recompute ``next_due_at`` and ``next_check_at`` after any change of state."""
    if ticket.status not in OPEN_STATUSES:
        ticket.next_due_at = ticket.next_check_at = None
        return
    unmet = ticket.unmet_deadlines()
    ticket.next_due_at = min(unmet.values(), default=None)
    moments = [m for m, *_rest in scan_moments(ticket, policy or SupervisionPolicy.current())]
    ticket.next_check_at = min(moments, default=None)


def _event(ticket, type_, at, *, actor=None, platform="", **data):
    return TicketEvent(
        ticket=ticket,
        type=type_,
        at=at,
        unit_id=ticket.unit_id,
        actor=actor,
        platform=platform,
        data=data,
    )


def new_ticket(*, book: DeadlineBook, **fields) -> Ticket:
    """A ticket ready to save, with its deadlines; the caller resolves its references
    (region, unit, list in force at receipt) and saves it with a ``created`` event."""
    co_units = fields.pop("co_units", [])
    ticket = Ticket(**fields)
    ticket.transferred_at = ticket.received_at
    if ticket.needs_on_site is None:
        ticket.needs_on_site = ticket.urgency != Urgency.GENERAL
    apply_deadlines(ticket, ticket.received_at, book)
    ticket._co_units = co_units
    return ticket


def _replay(ticket, type_, at, data) -> bool:
    """True when this exact event was already recorded (a platform retrying)."""
    field = EVENT_TIME_FIELDS.get(type_)
    if field is None or getattr(ticket, field) != at:
        return False
    if type_ == TicketEvent.Type.RATED:
        return ticket.rating == data.get("rating")
    return True


@transaction.atomic
def record_event(
    ticket: Ticket, type_, at, *, actor=None, platform="", attachments=(), **data
) -> bool:
    """Apply a milestone event; returns False when it was a harmless repeat.

    ``attachments``: files already checked by ``attachments.check``, kept with the event.

    Raises ``TransitionRefused`` naming the current state when the event is not allowed,
    and ``ValidationError`` for a time that cannot be right.
    """
    ticket = Ticket.objects.select_for_update().select_related("unit").get(pk=ticket.pk)
    if _replay(ticket, type_, at, data):
        return False
    allowed_from, to_status = TRANSITIONS[type_]
    if ticket.status not in allowed_from or (
        type_ == TicketEvent.Type.RATED and ticket.rated_at is not None
    ):
        raise TransitionRefused(
            _("The ticket is “%(status)s”: it cannot be “%(event)s” now.")
            % {"status": ticket.get_status_display(), "event": TicketEvent.Type(type_).label},
            code="transition_refused",
        )
    latest = max(
        t
        for t in (
            ticket.transferred_at,
            ticket.signed_at,
            ticket.arrived_at,
            ticket.replied_at,
            ticket.completed_at,
        )
        if t
    )
    if at < latest:
        raise ValidationError(
            {
                "at": _("%(at)s is before the ticket's previous step (%(prev)s).")
                % {"at": timezone.localtime(at), "prev": timezone.localtime(latest)}
            }
        )
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError(
            {"at": _("%(at)s lies in the future.") % {"at": timezone.localtime(at)}}
        )
    setattr(ticket, EVENT_TIME_FIELDS[type_], at)
    ticket.status = to_status
    if type_ == TicketEvent.Type.RETURNED:
        ticket.return_reason = data.get("reason_code", "")
        ticket.return_note = data.get("reason_text", "")
    if type_ == TicketEvent.Type.RATED:
        ticket.rating = data["rating"]
    refresh_schedule(ticket)
    ticket.save()
    event = _event(ticket, type_, at, actor=actor, platform=platform, **data)
    event.save()
    for upload, content_type, extension in attachments:
        TicketAttachment.objects.create(
            ticket=ticket,
            event=event,
            file=File(upload, name=upload.name),
            name=upload.name[:200],
            content_type=content_type,
            extension=extension,
            size=upload.size,
            uploaded_by=actor,
        )
    return True


@transaction.atomic
def reroute(ticket: Ticket, unit, *, actor, co_units=(), now=None) -> Ticket:
    """Send a returned (or not yet signed) ticket to another unit with fresh deadlines.

    The earlier routing stays in the timeline; the ticket's backflow is counted against
    the unit that returned it (its ``returned`` event).
    """
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in REROUTABLE_STATUSES:
        raise TransitionRefused(
            _("The ticket is “%(status)s”: only returned or unsigned tickets are re-routed.")
            % {"status": ticket.get_status_display()}
        )
    now = now or timezone.now()
    previous = ticket.unit
    ticket.unit = unit
    ticket.routing_round += 1
    ticket.status = Status.TRANSFERRED
    ticket.transferred_at = now
    for field in ("signed_at", "arrived_at", "replied_at", "returned_at"):
        setattr(ticket, field, None)
    ticket.return_reason, ticket.return_note = "", ""
    apply_deadlines(ticket, now, DeadlineBook())
    ticket.save()
    ticket.co_units.set(co_units)
    _event(
        ticket,
        TicketEvent.Type.REROUTED,
        now,
        actor=actor,
        from_unit=previous.name,
        to_unit=unit.name,
    ).save()
    return ticket
