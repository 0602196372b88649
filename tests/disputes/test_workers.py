"""The disputes' beat tasks on two real Celery workers at once (PostgreSQL + Redis):
each proposal, draft meeting, reminder, agenda and action-item notice exists once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.disputes import meetings
from apps.disputes.models import (
    ActionItem,
    DisputePolicy,
    DisputeProposal,
    JointMeeting,
    MeetingKind,
    MeetingNotice,
)
from apps.notices.models import Notice, NoticeKind
from tests.workers import run_on_two_workers

RUNS = 4

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent workers need PostgreSQL (run with DATABASE_URL)",
    ),
]


def test_every_beat_task_of_the_disputes_runs_once_on_two_workers(
    returned_ticket, unit, ecology_unit, region, staff_user, tmp_path
):
    returned_ticket(unit)
    returned_ticket(ecology_unit)
    # Draft this quarter's regular meeting whatever today's date.
    DisputePolicy.objects.filter(pk=1).update(draft_days_before_quarter_end=120)
    ad_hoc = meetings.create_meeting(
        region=region,
        kind=MeetingKind.AD_HOC,
        title="专题会",
        starts_at=timezone.now() - timedelta(days=30),
    )
    # Confirmed without its on-commit agenda task: the workers send it.
    JointMeeting.objects.filter(pk=ad_hoc.pk).update(status="confirmed")
    for _ in range(3):
        ActionItem.objects.create(
            meeting=ad_hoc,
            owner=unit,
            description="逾期事项",
            due_by=timezone.now() - timedelta(days=2),
        )
    tasks = [
        ("apps.disputes.tasks.detect_disputes", []),
        ("apps.disputes.tasks.plan_meetings", []),
        ("apps.disputes.tasks.scan_action_items", []),
        ("apps.disputes.tasks.send_agenda", [ad_hoc.pk]),
    ] * RUNS
    runs = run_on_two_workers(tmp_path, tasks)
    assert all(runs), f"both workers must have run tasks: {runs}"

    assert DisputeProposal.objects.count() == 1
    assert Notice.objects.filter(kind=NoticeKind.DISPUTE).count() == 1
    regular = JointMeeting.objects.filter(kind=MeetingKind.REGULAR)
    assert regular.count() == 1
    reminders = MeetingNotice.objects.filter(purpose="confirm_reminder")
    assert reminders.count() == 1 and reminders.get().on_date == timezone.localdate()
    agenda = Notice.objects.filter(kind=NoticeKind.MEETING, number=ad_hoc.number)
    invited = [a.unit.label for a in ad_hoc.attendance.select_related("unit__region")]
    assert len(invited) >= 2
    assert Counter(agenda.values_list("addressed_to", flat=True)) == Counter(invited)
    per_item = Counter(
        MeetingNotice.objects.filter(action_item__isnull=False).values_list(
            "action_item_id", "purpose"
        )
    )
    # Two days late: supervised and escalated, each once; no reminder after the fact.
    assert len(per_item) == 3 * 2 and set(per_item.values()) == {1}
    numbers = Notice.objects.filter(kind=NoticeKind.ACTION_ITEM).values_list("number", flat=True)
    assert len(set(numbers)) == len(numbers) == 6
