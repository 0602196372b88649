"""Supervision of diverted tickets: the overdue scan, and staff's own supervision notices.

A supervision notice is numbered here (督办〔2026〕000001, per year) and handed to the one
notice system (``apps.notices``) for its text, delivery, reading and acknowledgement.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows, update_column, with_ids
from apps.core.serials import take_serials
from apps.core.timestamps import local_minute
from apps.directory.models import Unit
from apps.directory.selectors import notice_recipients
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, Outbox, deliver_pending, issue_many

from .lifecycle import MILESTONE_FIELDS, OPEN_STATUSES, Milestone
from .models import (
    SUPERVISION_SERIES,
    NoticeLevel,
    SupervisionNotice,
    SupervisionPolicy,
    Ticket,
    TicketEvent,
)
from .services import scan_moments

# Tickets per transaction: their locks are held for well under a second, and each commit
# costs a flush of the write-ahead log whatever its size.
SCAN_BATCH = 5000
# What the scan reads of a ticket.
SCAN_FIELDS = (
    "id",
    "external_id",
    "status",
    "unit_id",
    "routing_round",
    "circular_at",
    "warn_at",
    *[f for pair in MILESTONE_FIELDS.values() for f in pair],
)


class _Claimed:
    """A claimed ticket as the scan reads it: the ``SCAN_FIELDS`` of a row. Not a model
    instance: a pass reads thousands, and building a model with its deferred fields
    costs more than reading the row."""

    __slots__ = SCAN_FIELDS

    def __init__(self, row):
        for name, value in zip(SCAN_FIELDS, row, strict=True):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.id


NOTICE_KINDS = {
    NoticeLevel.WARNING: NoticeKind.WARNING,
    NoticeLevel.NOTICE: NoticeKind.SUPERVISION,
    NoticeLevel.ESCALATION: NoticeKind.ESCALATION,
}
SUBJECTS = {
    NoticeLevel.WARNING: "【临期提醒】",
    NoticeLevel.NOTICE: "【督办通知】",
    NoticeLevel.ESCALATION: "【督办升级】",
}


def scan_overdue(now=None) -> dict:
    """Issue every warning, notice, escalation and circular that has fallen due.

    State-based: whatever is due by ``now`` and not yet issued is issued, so a missed
    run catches up. Each batch of due tickets is locked (``FOR UPDATE SKIP LOCKED``: a
    concurrent scan takes other tickets) and its ``next_check_at`` moved on before the
    locks go, and every scan notice is unique per (ticket, round, milestone, level), so
    concurrent scans never double up. A scan that dies rolls its batch back: the tickets
    are due again at once. (SQLite runs one writer at a time.) The scan's notices are
    issued claimed by it (an ``Outbox``) and sent by it once their batches are committed;
    then the notice system's delivery pass sends whatever else is due.
    """
    now = now or timezone.now()
    policy = SupervisionPolicy.current()
    outbox = Outbox()  # what the scan issues it sends itself: one digest per address
    issued = circulated = 0
    while True:
        with transaction.atomic():
            claimed = [
                _Claimed(row)
                for row in Ticket.objects.filter(next_check_at__lte=now)
                .order_by("next_check_at")
                .select_for_update(skip_locked=True)
                .values_list(*SCAN_FIELDS)[:SCAN_BATCH]
            ]
            if not claimed:
                break
            counts = _process_claimed(claimed, now, policy, outbox)
            issued += counts[0]
            circulated += counts[1]
    delivered = outbox.send(now)  # every batch is committed
    delivered += deliver_pending(now)  # retries, and what others left due
    return {"issued": issued, "circulated": circulated, "delivered": delivered}


def _process_claimed(tickets, now, policy, outbox):
    due_notices, circular_ids, next_checks = [], [], {}
    for ticket in tickets:
        upcoming = []
        if ticket.status in OPEN_STATUSES:
            for moment, milestone, level, due in scan_moments(ticket, policy):
                if moment > now:
                    upcoming.append(moment)
                elif level is None:
                    circular_ids.append(ticket.pk)
                elif level != NoticeLevel.WARNING or now < due:
                    due_notices.append((ticket, milestone, level, due))
        next_checks[ticket.pk] = min(upcoming, default=None)
    issued = _issue(_not_yet_issued(due_notices), now=now, policy=policy, outbox=outbox)
    update_column(Ticket, "next_check_at", next_checks)
    circulated = 0
    if circular_ids:
        circulated = Ticket.objects.filter(pk__in=circular_ids, circular_at__isnull=True).update(
            circular_at=now
        )
    return issued, circulated


def _not_yet_issued(due_notices):
    """Those the scan has not issued already (a ticket claimed again by mistake)."""
    if not due_notices:
        return []
    seen = set(
        with_ids(
            SupervisionNotice.objects.filter(issued_by__isnull=True),
            {t.pk for t, *_rest in due_notices},
            field="ticket",
        ).values_list("ticket_id", "routing_round", "milestone", "level")
    )
    return [n for n in due_notices if (n[0].pk, n[0].routing_round, n[1], n[2]) not in seen]


def _issue(due_notices, *, now, policy, issued_by=None, text="", outbox=None) -> int:
    """Number, word and issue supervision notices: (ticket, milestone, level, deadline).
    In the caller's transaction, a few statements whatever their number."""
    if not due_notices:
        return 0
    year = timezone.localtime(now).year
    serials = take_serials(series=SUPERVISION_SERIES, year=year, count=len(due_notices))
    unit_ids = {t.unit_id for t, *_rest in due_notices}
    labels = {
        pk: Unit.label_for(name, region)
        for pk, name, region in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "name", "region__name"
        )
    }
    liaisons = notice_recipients(unit_ids)
    with_leaders = notice_recipients(unit_ids, leaders=True)
    wording = _Wording(policy, now=now)
    tickets_page = reverse("admin:tickets_ticket_changelist")  # once, not per notice
    drafts = []
    for (ticket, milestone, level, due), serial in zip(due_notices, serials, strict=True):
        number = SupervisionNotice.format_number(year, serial)
        unit = labels[ticket.unit_id]
        drafts.append(
            Draft(
                kind=NOTICE_KINDS[level],
                number=number,
                addressed_to=unit,
                title=f"{SUBJECTS[level]}{number} {unit}",
                body=wording.body(ticket, milestone, level, due, text=text),
                recipients=(with_leaders if level == NoticeLevel.ESCALATION else liaisons).get(
                    ticket.unit_id, []
                ),
                link=f"{tickets_page}{ticket.pk}/change/",
                requires_acknowledgement=level != NoticeLevel.WARNING,
                issued_by_id=issued_by.pk if issued_by else None,
            )
        )
    notice_ids = issue_many(drafts, now=now, outbox=outbox)
    insert_rows(
        SupervisionNotice,
        [
            {
                "ticket_id": ticket.pk,
                "routing_round": ticket.routing_round,
                "milestone": milestone,
                "level": level,
                "unit_id": ticket.unit_id,
                "deadline": due,
                "created_at": now,
                "year": year,
                "serial": serial,
                "notice_id": notice_id,
                "issued_by_id": issued_by.pk if issued_by else None,
            }
            for (ticket, milestone, level, due), serial, notice_id in zip(
                due_notices, serials, notice_ids, strict=True
            )
        ],
    )
    insert_rows(
        TicketEvent,
        [
            {
                "ticket_id": ticket.pk,
                "type": TicketEvent.Type.NOTICE,
                "at": now,
                "unit_id": ticket.unit_id,
                "actor_id": issued_by.pk if issued_by else None,
                "platform": "",
                "data": {
                    "number": SupervisionNotice.format_number(year, serial),
                    "level": level,
                    "milestone": milestone,
                },
                "recorded_at": now,
            }
            for (ticket, milestone, level, _due), serial in zip(due_notices, serials, strict=True)
        ],
    )
    return len(due_notices)


class _Wording:
    """The text of a supervision notice: what is late, by when to act, who answers.

    The templates are translated once per scan batch, not once per notice, and the reply
    time of a notice issued past its deadline (now + the escalation delay, the same for
    all of them) is written once."""

    def __init__(self, policy, *, now):
        self.escalate = timedelta(minutes=policy.escalate_after_minutes)
        self.circulate = timedelta(minutes=policy.circulate_after_minutes)
        self.now = now
        self.reply_after_deadline = local_minute(now + self.escalate)
        self.milestones = {value: str(label) for value, label in Milestone.choices}
        self.templates = {
            NoticeLevel.WARNING: _(
                "Ticket %(ticket)s must reach “%(milestone)s” by %(deadline)s, which is "
                "near. Please handle it in time."
            ),
            NoticeLevel.NOTICE: _(
                "Ticket %(ticket)s did not reach “%(milestone)s” by its deadline "
                "%(deadline)s. Please handle it at once and report back by %(reply_by)s; "
                "otherwise it is escalated to the leader in charge."
            ),
            NoticeLevel.ESCALATION: _(
                "Ticket %(ticket)s is still short of “%(milestone)s”, due %(deadline)s: "
                "the supervision is escalated to the leader in charge. Please see to it "
                "and report back by %(reply_by)s; after that the unit is named in the "
                "circular (通报)."
            ),
        }
        self.acknowledge = _("Acknowledge this notice in the back-office once you have read it.")

    def body(self, ticket, milestone, level, due, *, text=""):
        values = {
            "ticket": ticket.external_id,
            "milestone": self.milestones[milestone],
            "deadline": local_minute(due),
        }
        if level == NoticeLevel.NOTICE:
            values["reply_by"] = (
                self.reply_after_deadline if due <= self.now else local_minute(due + self.escalate)
            )
        elif level == NoticeLevel.ESCALATION:
            values["reply_by"] = local_minute(max(self.now, due + self.circulate))
        lines = [self.templates[level] % values, self.acknowledge]
        if text:
            lines.insert(0, text)
        return "\n".join(lines)


@transaction.atomic
def issue_notice_now(ticket: Ticket, *, issued_by, text: str = "") -> SupervisionNotice | None:
    """Staff's own supervision notice for the ticket's earliest unmet milestone, with
    their text: possible at any time, also after the scan's (numbered like them).

    None when the ticket has nothing left to supervise."""
    unmet = ticket.unmet_deadlines()
    if ticket.status not in OPEN_STATUSES or not unmet:
        return None
    milestone = min(unmet, key=unmet.get)
    now = timezone.now()
    _issue(
        [(ticket, milestone, NoticeLevel.NOTICE, unmet[milestone])],
        now=now,
        policy=SupervisionPolicy.current(),
        issued_by=issued_by,
        text=text.strip(),
    )
    return (
        SupervisionNotice.objects.filter(ticket=ticket, issued_by=issued_by)
        .select_related("notice")
        .latest("id")
    )
