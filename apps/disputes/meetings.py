"""Joint meetings: drafting one with its agenda, confirming it (the agenda goes to the
invited units), attendance, minutes, and the decisions and action items it makes.

Who may do what is written once here (``may_*``); the admin and the API ask these.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.serials import take_serials
from apps.core.timestamps import local_minute
from apps.directory.models import Unit
from apps.directory.selectors import notice_recipients
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue_many
from apps.workcalendar.selectors import WorkingCalendar

from . import services
from .models import (
    MEETING_SERIES,
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaKind,
    Attendance,
    JointMeeting,
    JurisdictionDispute,
    MeetingKind,
    MeetingStatus,
    Presence,
)
from .workflow import DisputeStatus


class MeetingRefused(ValidationError):
    """A change the meeting's status or the rules do not allow; says why."""


def may_manage(user) -> bool:
    return services.may_manage(user)


def may_record_for_unit(user, meeting: JointMeeting, unit) -> bool:
    """Attendance: staff for any invited unit; a liaison for the own unit."""
    if meeting.is_read_only:
        return False
    return user.is_command_staff or (user.is_liaison and unit.pk == user.unit_id)


def may_update_action(user, item: ActionItem) -> bool:
    """The owner unit's liaison reports progress on its action item; staff too."""
    if item.status == ActionStatus.DROPPED:
        return False
    return user.is_command_staff or (user.is_liaison and item.owner_id == user.unit_id)


def _refuse_unless(meeting, *statuses):
    if meeting.status not in statuses:
        raise MeetingRefused(
            _("The meeting is “%(status)s”: this is not possible now.")
            % {"status": meeting.get_status_display()}
        )


def _locked(meeting) -> JointMeeting:
    return JointMeeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def create_meeting(
    *,
    region,
    kind: str,
    title: str,
    starts_at,
    place: str = "",
    convener: str = "",
    deputy_conveners: str = "",
    quarter: int | None = None,
    units=None,
    created_by=None,
) -> JointMeeting:
    """A numbered draft (联席会议〔2026〕03) with its invited units (by default every
    active unit of the region) and its agenda pre-filled: the region's disputes in
    consultation, and the action items earlier meetings left open."""
    year = timezone.localtime(starts_at).year
    if kind == MeetingKind.REGULAR and quarter is None:
        quarter = (timezone.localtime(starts_at).month - 1) // 3 + 1
    (serial,) = take_serials(series=MEETING_SERIES, year=year, count=1)
    meeting = JointMeeting.objects.create(
        region=region,
        kind=kind,
        year=year,
        serial=serial,
        quarter=quarter if kind == MeetingKind.REGULAR else None,
        title=title,
        starts_at=starts_at,
        place=place,
        convener=convener,
        deputy_conveners=deputy_conveners,
        created_by=created_by,
    )
    if units is None:
        units = Unit.objects.active().filter(region=region)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, unit=u) for u in units])
    prefill_agenda(meeting, actor=created_by)
    return meeting


def prefill_agenda(meeting: JointMeeting, *, actor=None) -> int:
    """Put the region's disputes in consultation and the open action items of earlier
    meetings on the agenda (each once); returns how many were added."""
    added = 0
    for dispute in JurisdictionDispute.objects.filter(
        region=meeting.region, status=DisputeStatus.IN_CONSULTATION
    ):
        added += put_on_agenda(meeting, dispute, actor=actor)
    reviewed = set(meeting.agenda.values_list("action_item_id", flat=True))
    for item in (
        ActionItem.objects.open()
        .filter(meeting__region=meeting.region)
        .exclude(meeting=meeting)
        .select_related("owner__region")
    ):
        if item.pk not in reviewed:
            AgendaItem.objects.create(
                meeting=meeting,
                order=_next_order(meeting),
                kind=AgendaKind.ACTION_REVIEW,
                title=_("Action item of %(unit)s: %(text)s")
                % {"unit": item.owner.label, "text": item.description[:200]},
                action_item=item,
            )
            added += 1
    return added


def _next_order(meeting) -> int:
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def put_on_agenda(meeting: JointMeeting, dispute: JurisdictionDispute, *, actor) -> bool:
    """The dispute goes on the meeting's agenda (on agenda); False if it is already."""
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.DRAFT, MeetingStatus.CONFIRMED)
    if meeting.agenda.filter(dispute=dispute).exists():
        return False
    if dispute.region_id != meeting.region_id:
        raise MeetingRefused(
            _("%(number)s is a dispute of %(region)s; the meeting is of %(meeting_region)s.")
            % {
                "number": dispute.number,
                "region": dispute.region.name,
                "meeting_region": meeting.region.name,
            }
        )
    services.schedule(dispute, meeting=meeting, actor=actor)
    AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        kind=AgendaKind.DISPUTE,
        title=f"{dispute.number} {dispute.title}",
        dispute=dispute,
    )
    return True


@transaction.atomic
def add_topic(meeting: JointMeeting, *, title: str) -> AgendaItem:
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.DRAFT, MeetingStatus.CONFIRMED)
    if not title.strip():
        raise MeetingRefused({"title": [_("Name the topic.")]})
    return AgendaItem.objects.create(
        meeting=meeting, order=_next_order(meeting), kind=AgendaKind.TOPIC, title=title.strip()
    )


@transaction.atomic
def confirm(meeting: JointMeeting, *, actor) -> JointMeeting:
    """Confirmed: the agenda goes to the invited units' liaisons and leaders on commit."""
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.DRAFT)
    if not meeting.attendance.exists():
        raise MeetingRefused(_("Invite at least one unit before confirming the meeting."))
    meeting.status, meeting.confirmed_at = MeetingStatus.CONFIRMED, timezone.now()
    meeting.save(update_fields=["status", "confirmed_at"])
    from .tasks import send_agenda  # the task module imports this one

    transaction.on_commit(lambda: send_agenda.delay(meeting.pk))
    return meeting


def send_agenda(meeting_id: int, *, now=None) -> int:
    """The agenda, to each invited unit's liaisons and leader: once, whoever runs it
    (the send is claimed by setting ``agenda_sent_at`` with a conditional UPDATE)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = JointMeeting.objects.filter(
            pk=meeting_id, status=MeetingStatus.CONFIRMED, agenda_sent_at__isnull=True
        ).update(agenda_sent_at=now)
        if not claimed:
            return 0
        meeting = JointMeeting.objects.select_related("region").get(pk=meeting_id)
        invited = list(meeting.attendance.select_related("unit__region"))
        recipients = notice_recipients([a.unit_id for a in invited], leaders=True)
        body = agenda_text(meeting)
        link = reverse("admin:disputes_jointmeeting_change", args=[meeting.pk])
        return len(
            issue_many(
                [
                    Draft(
                        kind=NoticeKind.MEETING,
                        number=meeting.number,
                        addressed_to=a.unit.label,
                        title=_("【Meeting notice】%(number)s %(title)s")
                        % {"number": meeting.number, "title": meeting.title},
                        body=body,
                        recipients=recipients.get(a.unit_id, []),
                        link=link,
                        requires_acknowledgement=True,
                    )
                    for a in invited
                ],
                now=now,
            )
        )


def agenda_text(meeting: JointMeeting) -> str:
    lines = [
        _("%(title)s, %(when)s, %(place)s. Convener: %(convener)s.")
        % {
            "title": meeting.title,
            "when": local_minute(meeting.starts_at),
            "place": meeting.place or "—",
            "convener": meeting.convener or "—",
        },
        _("Agenda:"),
    ]
    lines += [f"{n}. {item.title}" for n, item in enumerate(meeting.agenda.all(), start=1)]
    lines.append(
        _(
            "Please confirm who attends for your unit and bring your unit's position on each "
            "dispute."
        )
    )
    return "\n".join(lines)


@transaction.atomic
def record_attendance(
    meeting: JointMeeting,
    *,
    unit,
    presence: str,
    attendee: str = "",
    absence_reason: str = "",
    actor,
) -> Attendance:
    meeting = _locked(meeting)
    if not may_record_for_unit(actor, meeting, unit):
        raise MeetingRefused(_("You may not record the attendance of this unit."))
    attendance = meeting.attendance.filter(unit=unit).first()
    if attendance is None:
        raise MeetingRefused(_("%(unit)s is not invited.") % {"unit": unit.label})
    attendance.presence = presence
    attendance.attendee = attendee.strip()
    attendance.absence_reason = absence_reason.strip()
    attendance.recorded_by = actor
    attendance.full_clean(exclude=["meeting", "unit", "recorded_by"])
    attendance.save()
    return attendance


@transaction.atomic
def mark_held(meeting: JointMeeting, *, actor, minutes: str = "") -> JointMeeting:
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.CONFIRMED)
    meeting.status, meeting.held_at = MeetingStatus.HELD, timezone.now()
    if minutes.strip():
        meeting.minutes = minutes.strip()
    meeting.save(update_fields=["status", "held_at", "minutes"])
    return meeting


@transaction.atomic
def record_minutes(meeting: JointMeeting, *, minutes: str, actor) -> JointMeeting:
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.HELD)
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def approve_minutes(meeting: JointMeeting, *, actor) -> JointMeeting:
    """The minutes become the record: every invited unit's attendance must be known.
    Disputes of the agenda left undecided return to consultation."""
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.HELD)
    problems = []
    if not meeting.minutes.strip():
        problems.append(_("Write the minutes first."))
    unknown = meeting.attendance.filter(presence=Presence.INVITED).select_related("unit__region")
    if unknown:
        problems.append(
            _("Record whether these units came: %(units)s.")
            % {"units": "、".join(a.unit.label for a in unknown)}
        )
    if problems:
        raise MeetingRefused(problems)
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_at, meeting.minutes_approved_by = timezone.now(), actor
    meeting.save(update_fields=["status", "minutes_approved_at", "minutes_approved_by"])
    # What the meeting did not decide goes back to consultation, and so onto the next
    # meeting's agenda.
    for dispute in JurisdictionDispute.objects.filter(
        agenda_items__meeting=meeting, status=DisputeStatus.ON_AGENDA
    ):
        services.unschedule(
            dispute, actor=actor, note=_("Not decided at %(number)s.") % {"number": meeting.number}
        )
    return meeting


@transaction.atomic
def decide_at_meeting(dispute, *, meeting: JointMeeting, actor, **decision):
    """The meeting's decision on a dispute of its agenda (``services.decide``)."""
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.CONFIRMED, MeetingStatus.HELD)
    if not meeting.agenda.filter(dispute=dispute).exists():
        raise MeetingRefused(_("The dispute is not on this meeting's agenda."))
    decided = services.decide(dispute, actor=actor, meeting=meeting, **decision)
    meeting.agenda.filter(dispute=dispute).update(outcome=decided.handling_norm)
    return decided


def close_of_working_day(day, *, calendar=None):
    """The end of the day's last working period; refused with the next working day
    when ``day`` is not a working day."""
    calendar = calendar or WorkingCalendar()
    intervals = calendar.intervals(day)
    if intervals:
        return intervals[-1][1]
    following, _periods = next(calendar.working_days(day))
    raise MeetingRefused(
        {
            "due_on": [
                _("%(day)s is not a working day; the next one is %(next)s.")
                % {"day": day.isoformat(), "next": following.isoformat()}
            ]
        }
    )


@transaction.atomic
def add_action_item(meeting: JointMeeting, *, owner, description: str, due_on, actor):
    """What the meeting asks ``owner`` to do, by the close of working day ``due_on``."""
    meeting = _locked(meeting)
    _refuse_unless(meeting, MeetingStatus.CONFIRMED, MeetingStatus.HELD)
    if not description.strip():
        raise MeetingRefused({"description": [_("Say what is to be done.")]})
    return ActionItem.objects.create(
        meeting=meeting,
        owner=owner,
        description=description.strip(),
        due_by=close_of_working_day(due_on),
    )


@transaction.atomic
def update_action_item(item: ActionItem, *, update: str, status: str, actor) -> ActionItem:
    """The owner's progress: the text, and done when it is done. Staff may also drop it."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if not may_update_action(actor, item):
        raise MeetingRefused(_("You may not update this action item."))
    allowed = {ActionStatus.OPEN, ActionStatus.DONE}
    if actor.is_command_staff:
        allowed.add(ActionStatus.DROPPED)
    if status not in allowed:
        raise MeetingRefused({"status": [_("This status cannot be chosen here.")]})
    if not update.strip():
        raise MeetingRefused({"update": [_("Say what has been done.")]})
    now = timezone.now()
    item.update, item.updated_at, item.updated_by = update.strip(), now, actor
    item.status = status
    item.done_at = now if status == ActionStatus.DONE else None
    item.save()
    return item
