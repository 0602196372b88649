"""Writes to tickets: receipt, milestones, re-routing, and the overdue scan.

Every change writes its ``TicketEvent`` in the same transaction.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows, update_column
from apps.core.claims import claim
from apps.directory.models import ContactRole

from .deadlines import DeadlineBook
from .models import (
    MILESTONE_FIELDS,
    OPEN_STATUSES,
    Milestone,
    NoticeLevel,
    Status,
    SupervisionNotice,
    SupervisionPolicy,
    Ticket,
    TicketEvent,
    Urgency,
)

logger = logging.getLogger(__name__)

# What each event needs the ticket to be in, and what it makes of it.
TRANSITIONS = {
    TicketEvent.Type.SIGNED: ({Status.TRANSFERRED}, Status.SIGNED),
    TicketEvent.Type.ARRIVED: ({Status.SIGNED}, Status.ARRIVED),
    TicketEvent.Type.REPLIED: ({Status.SIGNED, Status.ARRIVED}, Status.REPLIED),
    TicketEvent.Type.COMPLETED: ({Status.SIGNED, Status.ARRIVED, Status.REPLIED}, Status.COMPLETED),
    TicketEvent.Type.RETURNED: ({Status.TRANSFERRED, Status.SIGNED}, Status.RETURNED),
    TicketEvent.Type.RATED: ({Status.COMPLETED}, Status.COMPLETED),
}
# The ticket field each event stamps.
EVENT_TIME_FIELDS = {
    TicketEvent.Type.SIGNED: "signed_at",
    TicketEvent.Type.ARRIVED: "arrived_at",
    TicketEvent.Type.REPLIED: "replied_at",
    TicketEvent.Type.COMPLETED: "completed_at",
    TicketEvent.Type.RETURNED: "returned_at",
    TicketEvent.Type.RATED: "rated_at",
}
CLOCK_SKEW = timedelta(minutes=5)


# What the units do with a ticket; the caller's rating is the receiving platform's.
HANDLING_EVENTS = frozenset(
    {
        TicketEvent.Type.SIGNED,
        TicketEvent.Type.ARRIVED,
        TicketEvent.Type.REPLIED,
        TicketEvent.Type.COMPLETED,
        TicketEvent.Type.RETURNED,
    }
)


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


def scan_moments(ticket: Ticket, policy: SupervisionPolicy):
    """(moment, milestone, level or None for the circular, deadline) the scan acts on."""
    escalate = timedelta(minutes=policy.escalate_after_minutes)
    circulate = timedelta(minutes=policy.circulate_after_minutes)
    for milestone, due in ticket.unmet_deadlines().items():
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
def record_event(ticket: Ticket, type_, at, *, actor=None, platform="", **data) -> bool:
    """Apply a milestone event; returns False when it was a harmless repeat.

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
    _event(ticket, type_, at, actor=actor, platform=platform, **data).save()
    return True


@transaction.atomic
def reroute(ticket: Ticket, unit, *, actor, co_units=(), now=None) -> Ticket:
    """Send a returned (or not yet signed) ticket to another unit with fresh deadlines.

    The earlier routing stays in the timeline; the ticket's backflow is counted against
    the unit that returned it (its ``returned`` event).
    """
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status not in (Status.RETURNED, Status.TRANSFERRED):
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


# --- Supervision -------------------------------------------------------------------------

SCAN_BATCH = 2000
# What the scan reads of a ticket.
SCAN_FIELDS = (
    "id",
    "status",
    "unit_id",
    "routing_round",
    "circular_at",
    "warn_at",
    *[f for pair in MILESTONE_FIELDS.values() for f in pair],
)


def scan_overdue(now=None) -> dict:
    """Issue every warning, notice, escalation and circular that has fallen due.

    State-based: whatever is due by ``now`` and not yet issued is issued, so a missed
    run catches up. Each batch of due tickets is locked (``FOR UPDATE SKIP LOCKED``: a
    concurrent scan takes other tickets) and its ``next_check_at`` moved on before the
    locks go, and every notice is unique per (ticket, round, milestone, level), so
    concurrent scans never double up. A scan that dies rolls its batch back: the tickets
    are due again at once. (SQLite runs one writer at a time.)
    """
    now = now or timezone.now()
    policy = SupervisionPolicy.current()
    issued = circulated = 0
    while True:
        with transaction.atomic():
            claimed = list(
                Ticket.objects.filter(next_check_at__lte=now)
                .order_by("next_check_at")
                .select_for_update(skip_locked=True)
                .only(*SCAN_FIELDS)[:SCAN_BATCH]
            )
            if not claimed:
                break
            counts = _process_claimed(claimed, now, policy)
            issued += counts[0]
            circulated += counts[1]
    delivered = deliver_notices(now)
    return {"issued": issued, "circulated": circulated, "delivered": delivered}


def _process_claimed(tickets, now, policy):
    ids = [t.pk for t in tickets]
    notices, circular_ids, updates = [], [], []
    for ticket in tickets:
        upcoming = []
        if ticket.status in OPEN_STATUSES:
            for moment, milestone, level, due in scan_moments(ticket, policy):
                if moment > now:
                    upcoming.append(moment)
                elif level is None:
                    circular_ids.append(ticket.pk)
                elif level != NoticeLevel.WARNING or now < due:
                    notices.append(
                        {
                            "ticket_id": ticket.pk,
                            "routing_round": ticket.routing_round,
                            "milestone": milestone,
                            "level": level,
                            "unit_id": ticket.unit_id,
                            "deadline": due,
                            "created_at": now,
                            "delivered_at": None,
                            "read_at": None,
                            "acknowledged_at": None,
                            "acknowledged_by_id": None,
                            "issued_by_id": None,
                        }
                    )
        ticket.next_check_at = min(upcoming, default=None)
        updates.append(ticket)
    # A notice another scan already issued is skipped by the unique constraint.
    insert_rows(SupervisionNotice, notices, ignore_conflicts=True)
    update_column(Ticket, updates, "next_check_at")
    circulated = 0
    if circular_ids:
        circulated = Ticket.objects.filter(pk__in=circular_ids, circular_at__isnull=True).update(
            circular_at=now
        )
    issued = SupervisionNotice.objects.filter(ticket_id__in=ids, created_at=now).count()
    return issued, circulated


NOTICE_SUBJECTS = {
    NoticeLevel.WARNING: "【临期提醒】",
    NoticeLevel.NOTICE: "【督办通知】",
    NoticeLevel.ESCALATION: "【督办升级】",
}


# What the delivery reads of a notice, its ticket and its unit.
DIGEST_FIELDS = (
    "id",
    "ticket_id",
    "unit_id",
    "level",
    "milestone",
    "deadline",
    "created_at",
    "ticket__external_id",
    "unit__name",
)


def deliver_notices(now=None, *, limit=5000) -> int:
    """Deliver issued notices exactly once: claim them, then email one digest per address.

    The in-app inbox of a unit is its list of supervision notices in the admin.
    """
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            ids = claim(
                SupervisionNotice,
                where="delivered_at IS NULL",
                params=[],
                set_="delivered_at = %s",
                set_params=[now],
                order_by="id",
                limit=limit,
            )
            if not ids:
                break
            notices = list(
                SupervisionNotice.objects.filter(pk__in=ids)
                .select_related("ticket", "unit")
                .only(*DIGEST_FIELDS)
                .order_by("unit_id", "id")
            )
            recorded = timezone.now()
            insert_rows(
                TicketEvent,
                [
                    {
                        "ticket_id": n.ticket_id,
                        "type": TicketEvent.Type.NOTICE,
                        "at": now,
                        "unit_id": n.unit_id,
                        "actor_id": None,
                        "platform": "",
                        "data": {"number": n.number, "level": n.level, "milestone": n.milestone},
                        "recorded_at": recorded,
                    }
                    for n in notices
                ],
            )
            messages = _digest_emails(notices)
        _send(messages)
        total += len(ids)
    return total


def _recipients(units):
    """Email addresses per unit: its liaison accounts and liaison; leaders separately."""
    from apps.accounts.models import User
    from apps.directory.models import Contact

    liaisons, leaders = {}, {}
    for unit_id, email in (
        User.objects.filter(unit__in=units, is_active=True)
        .exclude(email="")
        .values_list("unit_id", "email")
    ):
        liaisons.setdefault(unit_id, set()).add(email)
    for unit_id, role, email in (
        Contact.objects.current()
        .filter(unit__in=units, role__in=[ContactRole.LIAISON, ContactRole.LEADER])
        .exclude(email="")
        .values_list("unit_id", "role", "email")
    ):
        target = leaders if role == ContactRole.LEADER else liaisons
        target.setdefault(unit_id, set()).add(email)
    return liaisons, leaders


def _digest_emails(notices):
    units = {n.unit_id for n in notices}
    liaisons, leaders = _recipients(units)
    lines_by_address = {}
    # Translated once per digest, not once per notice.
    template = _(
        "%(subject)s%(number)s %(unit)s: ticket %(ticket)s must %(milestone)s by %(deadline)s."
    )
    milestones = {value: str(label) for value, label in Milestone.choices}
    for notice in notices:
        addresses = set(liaisons.get(notice.unit_id, ()))
        if notice.level == NoticeLevel.ESCALATION:
            addresses |= leaders.get(notice.unit_id, set())
        line = template % {
            "subject": NOTICE_SUBJECTS[notice.level],
            "number": notice.number,
            "unit": notice.unit.name,
            "ticket": notice.ticket.external_id,
            "milestone": milestones.get(notice.milestone, notice.milestone),
            "deadline": timezone.localtime(notice.deadline).strftime("%Y-%m-%d %H:%M"),
        }
        for address in addresses:
            lines_by_address.setdefault(address, []).append(line)
    return [
        EmailMessage(
            _("Supervision of diverted tickets: %(n)d item(s)") % {"n": len(lines)},
            "\n".join([*lines, "", _("Please sign in to the back-office to acknowledge.")]),
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        for address, lines in sorted(lines_by_address.items())
    ]


def _send(messages):
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except OSError:
        # The notices are delivered in-app already; a mail outage must not undo that.
        logger.exception("Supervision emails could not be sent")


@transaction.atomic
def issue_notice_now(ticket: Ticket, *, issued_by) -> SupervisionNotice | None:
    """Staff's "send supervision notice" for the ticket's earliest unmet milestone.

    None when there is nothing to supervise or the notice already exists."""
    unmet = ticket.unmet_deadlines()
    if ticket.status not in OPEN_STATUSES or not unmet:
        return None
    milestone = min(unmet, key=unmet.get)
    notice, created = SupervisionNotice.objects.get_or_create(
        ticket=ticket,
        routing_round=ticket.routing_round,
        milestone=milestone,
        level=NoticeLevel.NOTICE,
        defaults={"unit_id": ticket.unit_id, "deadline": unmet[milestone], "issued_by": issued_by},
    )
    if created:
        from .tasks import deliver_supervision_notices  # tasks import this module

        transaction.on_commit(deliver_supervision_notices.delay)
    return notice if created else None


def mark_notice_read(notice: SupervisionNotice) -> None:
    SupervisionNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def acknowledge_notice(notice: SupervisionNotice, user) -> bool:
    now = timezone.now()
    SupervisionNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    return bool(
        SupervisionNotice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=user
        )
    )
