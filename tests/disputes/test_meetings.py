from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.disputes import meetings, services
from apps.disputes.models import (
    ActionStatus,
    AgendaKind,
    DisputeOrigin,
    MeetingKind,
    MeetingStatus,
    Presence,
)
from apps.disputes.workflow import DisputeStatus
from apps.notices.models import Notice, NoticeKind
from tests.factories import ContactFactory


@pytest.fixture
def consulted(region, staff_user, unit, ecology_unit):
    dispute = services.raise_dispute(
        region=region,
        title="夜间施工噪音",
        matter="夜间施工噪音",
        origin=DisputeOrigin.STAFF,
        units=[unit, ecology_unit],
    )
    return services.start_consultation(dispute, actor=staff_user)


@pytest.fixture
def meeting(region, staff_user, unit, ecology_unit, consulted):
    return meetings.create_meeting(
        region=region,
        kind=MeetingKind.REGULAR,
        title="2027年第一季度联席会议",
        starts_at=timezone.make_aware(timezone.datetime(2027, 3, 19, 9, 30)),
        place="市政府第三会议室",
        convener="分管副市长",
        created_by=staff_user,
    )


def test_a_meeting_is_numbered_invites_the_region_and_prefills_its_agenda(
    meeting, consulted, unit, ecology_unit
):
    assert meeting.number == "联席会议〔2027〕01" and meeting.quarter == 1
    assert set(meeting.attendance.values_list("unit_id", flat=True)) == {unit.pk, ecology_unit.pk}
    (item,) = meeting.agenda.all()
    assert item.kind == AgendaKind.DISPUTE and item.dispute == consulted
    consulted.refresh_from_db()
    assert consulted.status == DisputeStatus.ON_AGENDA


def test_confirming_sends_the_agenda_once_to_each_invited_unit(
    meeting, staff_user, unit, ecology_unit, django_capture_on_commit_callbacks
):
    ContactFactory(unit=unit, role="liaison", name="张联络", email="zhang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        meetings.confirm(meeting, actor=staff_user)
    notices = Notice.objects.filter(kind=NoticeKind.MEETING)
    assert notices.count() == 2
    sent = notices.get(addressed_to=unit.label)
    assert "夜间施工噪音" in sent.body and "市政府第三会议室" in sent.body
    assert sent.requires_acknowledgement
    # The agenda task run again (a retry, a second worker) sends nothing more.
    assert meetings.send_agenda(meeting.pk) == 0
    assert notices.count() == 2
    with pytest.raises(meetings.MeetingRefused):
        meetings.confirm(meeting, actor=staff_user)


def test_a_liaison_records_only_the_own_units_attendance(
    meeting, liaison_user, unit, ecology_unit, staff_user
):
    meetings.confirm(meeting, actor=staff_user)
    with pytest.raises(meetings.MeetingRefused):
        meetings.record_attendance(
            meeting,
            unit=ecology_unit,
            presence=Presence.ATTENDED,
            attendee="x",
            actor=liaison_user,
        )
    with pytest.raises(ValidationError, match=r"谁|Who"):
        meetings.record_attendance(
            meeting, unit=unit, presence=Presence.ATTENDED, actor=liaison_user
        )
    attendance = meetings.record_attendance(
        meeting,
        unit=unit,
        presence=Presence.DELEGATED,
        attendee="李科长（代）",
        actor=liaison_user,
    )
    assert attendance.presence == Presence.DELEGATED and attendance.recorded_by == liaison_user


def test_minutes_are_approved_only_when_complete_and_are_then_read_only(
    meeting, staff_user, unit, ecology_unit
):
    meetings.confirm(meeting, actor=staff_user)
    meetings.mark_held(meeting, actor=staff_user)
    with pytest.raises(meetings.MeetingRefused) as refused:
        meetings.approve_minutes(meeting, actor=staff_user)
    assert len(refused.value.messages) == 2  # no minutes, attendance unknown
    meetings.record_minutes(meeting, minutes="会议纪要正文", actor=staff_user)
    for u in (unit, ecology_unit):
        meetings.record_attendance(
            meeting, unit=u, presence=Presence.ABSENT, absence_reason="出差", actor=staff_user
        )
    approved = meetings.approve_minutes(meeting, actor=staff_user)
    assert approved.status == MeetingStatus.MINUTES_APPROVED and approved.is_read_only
    # Not decided there: back to consultation, still on this meeting's (recorded) agenda.
    (item,) = approved.agenda.all()
    item.dispute.refresh_from_db()
    assert item.dispute.status == DisputeStatus.IN_CONSULTATION
    with pytest.raises(meetings.MeetingRefused):
        meetings.record_attendance(
            approved, unit=unit, presence=Presence.ATTENDED, attendee="x", actor=staff_user
        )


def test_the_meeting_decides_a_dispute_on_its_agenda(meeting, consulted, staff_user, ecology_unit):
    meetings.confirm(meeting, actor=staff_user)
    decided = meetings.decide_at_meeting(
        consulted,
        meeting=meeting,
        actor=staff_user,
        lead_unit=ecology_unit,
        handling_norm="生态环境局主办",
        effective_date=date(2027, 4, 1),
    )
    assert decided.decided_in == meeting and decided.status == DisputeStatus.DECIDED
    assert meeting.agenda.get(dispute=consulted).outcome == "生态环境局主办"


def test_action_item_deadlines_are_working_days(meeting, staff_user, unit):
    meetings.confirm(meeting, actor=staff_user)
    with pytest.raises(meetings.MeetingRefused, match="2027-03-22"):
        meetings.add_action_item(
            meeting,
            owner=unit,
            description="制定夜间施工巡查方案",
            due_on=date(2027, 3, 20),
            actor=staff_user,
        )
    item = meetings.add_action_item(
        meeting,
        owner=unit,
        description="制定夜间施工巡查方案",
        due_on=date(2027, 3, 22),
        actor=staff_user,
    )
    local = timezone.localtime(item.due_by)
    assert local.date() == date(2027, 3, 22) and local.hour >= 17


def test_the_owner_reports_on_an_action_item(meeting, staff_user, liaison_user, unit):
    meetings.confirm(meeting, actor=staff_user)
    item = meetings.add_action_item(
        meeting, owner=unit, description="方案", due_on=date(2027, 3, 22), actor=staff_user
    )
    with pytest.raises(meetings.MeetingRefused):
        meetings.update_action_item(
            item, update="不再办理", status=ActionStatus.DROPPED, actor=liaison_user
        )
    done = meetings.update_action_item(
        item, update="方案已印发", status=ActionStatus.DONE, actor=liaison_user
    )
    assert done.status == ActionStatus.DONE and done.done_at and done.updated_by == liaison_user


def test_open_action_items_go_on_the_next_meetings_agenda(meeting, staff_user, region, unit):
    meetings.confirm(meeting, actor=staff_user)
    item = meetings.add_action_item(
        meeting, owner=unit, description="方案", due_on=date(2027, 3, 22), actor=staff_user
    )
    later = meetings.create_meeting(
        region=region,
        kind=MeetingKind.AD_HOC,
        title="临时会议",
        starts_at=meeting.starts_at + timedelta(days=20),
    )
    assert list(later.agenda.values_list("action_item", flat=True)) == [item.pk]
