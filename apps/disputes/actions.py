"""Action items after their meeting: a reminder to the owner before the deadline, a
numbered supervision notice (督办, in the tickets' series) once it has passed, and the
escalation to the leader in charge after the supervision policy's time, as for tickets.

Idempotent: each (action item, purpose) is sent once — the items are locked while a scan
works on them (``SKIP LOCKED``: a second scan takes others) and ``MeetingNotice`` holds a
unique constraint on it.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.serials import take_serials
from apps.core.timestamps import local_minute
from apps.directory.selectors import notice_recipients
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, deliver_pending, issue_many
from apps.tickets.models import SUPERVISION_SERIES, SupervisionNotice, SupervisionPolicy

from .models import ActionItem, DisputePolicy, MeetingNotice, MeetingNoticePurpose

P = MeetingNoticePurpose


def due_purposes(item: ActionItem, *, now, remind_before, escalate_after) -> list[str]:
    """What the item is due for now, by the rule in the module's docstring."""
    if not item.is_overdue(now):
        return [P.ACTION_REMINDER] if now >= item.due_by - remind_before else []
    due = [P.ACTION_NOTICE]
    if now >= item.due_by + escalate_after:
        due.append(P.ACTION_ESCALATION)
    return due


def scan_action_items(now=None) -> int:
    """Send what has fallen due; returns how many notices were issued."""
    now = now or timezone.now()
    remind_before = timedelta(days=DisputePolicy.current().action_reminder_days)
    escalate_after = timedelta(minutes=SupervisionPolicy.current().escalate_after_minutes)
    issued = 0
    with transaction.atomic():
        items = list(
            ActionItem.objects.open()
            .filter(due_by__lte=now + remind_before)
            .select_related("meeting", "owner__region")
            .select_for_update(skip_locked=True, of=("self",))
        )
        sent = set(
            MeetingNotice.objects.filter(action_item__in=items).values_list(
                "action_item_id", "purpose"
            )
        )
        due = [
            (item, purpose)
            for item in items
            for purpose in due_purposes(
                item, now=now, remind_before=remind_before, escalate_after=escalate_after
            )
            if (item.pk, purpose) not in sent
            # Overdue before any reminder went: the supervision notice says it all.
            and not (purpose == P.ACTION_REMINDER and item.is_overdue(now))
        ]
        if due:
            issued = _issue(due, now=now)
    if issued:
        deliver_pending(now)
    return issued


def _issue(due, *, now) -> int:
    year = timezone.localtime(now).year
    numbered = [d for d in due if d[1] != P.ACTION_REMINDER]
    serials = iter(take_serials(series=SUPERVISION_SERIES, year=year, count=len(numbered)))
    unit_ids = {item.owner_id for item, _purpose in due}
    liaisons = notice_recipients(unit_ids)
    with_leaders = notice_recipients(unit_ids, leaders=True)
    drafts = []
    for item, purpose in due:
        number = (
            SupervisionNotice.format_number(year, next(serials))
            if purpose != P.ACTION_REMINDER
            else ""
        )
        recipients = with_leaders if purpose == P.ACTION_ESCALATION else liaisons
        drafts.append(
            Draft(
                kind=NoticeKind.ACTION_ITEM,
                number=number,
                addressed_to=item.owner.label,
                title=f"{TITLES[purpose]}{number} {item.owner.label}",
                body=_body(item, purpose),
                recipients=recipients.get(item.owner_id, []),
                link=reverse("admin:disputes_actionitem_change", args=[item.pk]),
                requires_acknowledgement=purpose != P.ACTION_REMINDER,
            )
        )
    notice_ids = issue_many(drafts, now=now)
    today = timezone.localtime(now).date()
    MeetingNotice.objects.bulk_create(
        [
            MeetingNotice(
                meeting_id=item.meeting_id,
                action_item=item,
                purpose=purpose,
                on_date=today,
                notice_id=notice_id,
            )
            for (item, purpose), notice_id in zip(due, notice_ids, strict=True)
        ]
    )
    return len(due)


TITLES = {
    P.ACTION_REMINDER: "【交办事项提醒】",
    P.ACTION_NOTICE: "【交办事项督办】",
    P.ACTION_ESCALATION: "【交办事项督办升级】",
}


def _body(item, purpose) -> str:
    values = {
        "meeting": item.meeting.number,
        "text": item.description,
        "deadline": local_minute(item.due_by),
    }
    if purpose == P.ACTION_REMINDER:
        line = _(
            "%(meeting)s asked your unit to: %(text)s. The deadline, %(deadline)s, is near: "
            "please report the progress in the back-office."
        )
    elif purpose == P.ACTION_NOTICE:
        line = _(
            "%(meeting)s asked your unit to: %(text)s, by %(deadline)s. The deadline has "
            "passed: report at once what has been done; otherwise it is escalated to the "
            "leader in charge."
        )
    else:
        line = _(
            "%(meeting)s asked your unit to: %(text)s, by %(deadline)s. It is still open: the "
            "supervision is escalated to the leader in charge."
        )
    return "\n".join([line % values, _("Acknowledge this notice once you have read it.")])
