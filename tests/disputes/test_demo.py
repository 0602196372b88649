import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from apps.disputes.models import (
    ActionItem,
    JointMeeting,
    JurisdictionDispute,
    MeetingKind,
    MeetingStatus,
)
from apps.disputes.workflow import DisputeStatus


def test_the_demo_has_disputes_a_held_meeting_and_a_drafted_one(reference_data):
    call_command("create_demo_accounts", stdout=io.StringIO())
    end = timezone.localdate()
    call_command(
        "generate_demo_tickets",
        "--count",
        "1500",
        "--start",
        str(end - timedelta(days=90)),
        "--end",
        str(end),
        "--seed",
        "1",
        stdout=io.StringIO(),
    )
    call_command("generate_demo_disputes", "--if-empty", stdout=io.StringIO())
    disputes = JurisdictionDispute.objects.all()
    assert disputes.count() >= 3
    assert all(d.evidence.exists() and d.parties.count() >= 2 for d in disputes)
    assert disputes.filter(status=DisputeStatus.DECIDED, decided_in__isnull=False).exists()
    held = JointMeeting.objects.get(status=MeetingStatus.MINUTES_APPROVED)
    assert held.kind == MeetingKind.REGULAR and held.minutes and held.starts_at < timezone.now()
    assert ActionItem.objects.overdue().filter(meeting=held).count() == 1
    assert ActionItem.objects.filter(meeting=held, status="done").exists()
    drafted = JointMeeting.objects.filter(status=MeetingStatus.DRAFT, kind=MeetingKind.REGULAR)
    assert drafted.filter(region=held.region, agenda__dispute__isnull=False).exists()
    # Run again: nothing more.
    call_command("generate_demo_disputes", "--if-empty", stdout=io.StringIO())
    assert JurisdictionDispute.objects.count() == disputes.count()
