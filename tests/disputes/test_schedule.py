"""The beat tasks of the meetings, each run twice to show it does no harm."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.disputes import actions, meetings, schedule, services
from apps.disputes.models import (
    ActionStatus,
    DisputeOrigin,
    DisputePolicy,
    JointMeeting,
    MeetingKind,
    MeetingNotice,
)
from apps.notices.models import Notice, NoticeKind
from apps.tickets.models import SupervisionPolicy
from tests.factories import ContactFactory


def test_the_quarters_regular_meeting_is_drafted_once_in_time(matter, region, staff_user, unit):
    dispute = services.raise_dispute(
        region=region, title="噪音", matter="噪音", origin=DisputeOrigin.STAFF, units=[unit]
    )
    services.start_consultation(dispute, actor=staff_user)
    assert schedule.draft_regular_meetings(date(2027, 2, 20)) == []  # 39 days before the end
    (drafted,) = schedule.draft_regular_meetings(date(2027, 3, 1))  # 30 days before
    assert drafted.kind == MeetingKind.REGULAR and (drafted.year, drafted.quarter) == (2027, 1)
    assert drafted.created_by is None and drafted.agenda.get().dispute == dispute
    # 10 days before the quarter ends is a Sunday: the next working day, at 09:30.
    assert timezone.localtime(drafted.starts_at) == timezone.make_aware(
        datetime(2027, 3, 22, 9, 30)
    )
    assert schedule.draft_regular_meetings(date(2027, 3, 1)) == []
    assert schedule.draft_regular_meetings(date(2027, 3, 2)) == []
    assert JointMeeting.objects.count() == 1
    DisputePolicy.objects.filter(pk=1).update(draft_days_before_quarter_end=10)
    assert schedule.draft_regular_meetings(date(2027, 5, 30)) == []


def test_staff_are_reminded_once_a_day_until_the_meeting_is_confirmed(
    matter, region, staff_user, unit
):
    (drafted,) = schedule.draft_regular_meetings(date(2027, 3, 1))
    reminders = Notice.objects.filter(kind=NoticeKind.MEETING, number=drafted.number)
    assert schedule.remind_unconfirmed(date(2027, 3, 1)) == 1
    assert schedule.remind_unconfirmed(date(2027, 3, 1)) == 0
    assert reminders.count() == 1
    assert reminders.get().recipients.filter(user=staff_user).exists()
    assert schedule.remind_unconfirmed(date(2027, 3, 2)) == 1
    meetings.confirm(drafted, actor=staff_user)
    assert schedule.remind_unconfirmed(date(2027, 3, 3)) == 0
    assert reminders.count() == 2


@pytest.fixture
def action_item(region, staff_user, unit):
    ContactFactory(unit=unit, role="liaison", name="张联络", email="zhang@example.com")
    ContactFactory(unit=unit, role="leader", name="王局长", email="wang@example.com")
    meeting = meetings.create_meeting(
        region=region,
        kind=MeetingKind.AD_HOC,
        title="临时会议",
        starts_at=timezone.now() - timedelta(days=7),
    )
    meetings.confirm(meeting, actor=staff_user)
    return meetings.add_action_item(
        meeting,
        owner=unit,
        description="制定巡查方案",
        due_on=date(2027, 3, 22),
        actor=staff_user,
    )


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(2027, 3, day, hour, minute))


def test_action_items_are_reminded_supervised_and_escalated_once_each(action_item, mailoutbox):
    purposes = lambda: sorted(  # noqa: E731
        MeetingNotice.objects.filter(action_item=action_item).values_list("purpose", flat=True)
    )
    assert actions.scan_action_items(at(19, 12)) == 0  # 3 days before: not yet
    assert actions.scan_action_items(at(20, 18)) == 1  # within the 2 days
    assert actions.scan_action_items(at(20, 19)) == 0
    assert purposes() == ["action_reminder"]
    past = action_item.due_by + timedelta(minutes=1)
    assert actions.scan_action_items(past) == 1  # past the deadline, not yet escalated
    notice = MeetingNotice.objects.get(purpose="action_notice").notice
    assert notice.number.startswith("督办〔2027〕") and notice.requires_acknowledgement
    assert "制定巡查方案" in notice.body
    minutes = SupervisionPolicy.current().escalate_after_minutes
    late = timezone.localtime(action_item.due_by) + timedelta(minutes=minutes + 1)
    assert actions.scan_action_items(late) == 1
    assert actions.scan_action_items(late) == 0
    assert purposes() == ["action_escalation", "action_notice", "action_reminder"]
    escalation = MeetingNotice.objects.get(purpose="action_escalation").notice
    addresses = set(escalation.recipients.values_list("address", flat=True))
    assert {"zhang@example.com", "wang@example.com"} <= addresses
    assert any("wang@example.com" in m.to for m in mailoutbox)


def test_done_items_are_left_alone(action_item, liaison_user):
    meetings.update_action_item(
        action_item, update="已完成", status=ActionStatus.DONE, actor=liaison_user
    )
    assert actions.scan_action_items(at(25, 9)) == 0
