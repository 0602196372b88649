"""The overdue scan: warnings, notices, escalation, circular; never twice; catches up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts.roles import Role
from apps.tickets import services
from apps.tickets.models import NoticeLevel, SupervisionNotice, SupervisionPolicy, TicketEvent
from tests.factories import UserFactory


@pytest.fixture
def liaison_account(police):
    return UserFactory(
        username="police-liaison", role=Role.LIAISON, unit=police, email="account@example.com"
    )


@pytest.fixture
def urgent(make_ticket, liaison_account):
    """Received 10:00; sign by 10:30 (warning 10:24), on site by 10:30 (tier 1)."""
    received = timezone.now().replace(microsecond=0) - timedelta(days=1)
    return make_ticket(urgency="urgent", received_at=received)


def levels(ticket):
    return sorted(ticket.supervision_notices.values_list("milestone", "level"))


def test_nothing_before_the_warning(urgent):
    result = services.scan_overdue(urgent.received_at + timedelta(minutes=10))
    assert result["issued"] == 0 and not SupervisionNotice.objects.exists()


def test_warning_at_80_percent(urgent):
    services.scan_overdue(urgent.received_at + timedelta(minutes=25))
    assert levels(urgent) == [("arrive", "warning"), ("sign", "warning")]
    assert len(mail.outbox) == 2  # one digest per address: the account and the liaison
    assert {m.to[0] for m in mail.outbox} == {"account@example.com", "wang@example.com"}
    assert "临期提醒" in mail.outbox[0].body


def test_notice_at_the_deadline_then_escalation_then_circular(urgent):
    start = urgent.received_at
    services.scan_overdue(start + timedelta(minutes=31))
    notices = SupervisionNotice.objects.filter(level=NoticeLevel.NOTICE)
    assert sorted(notices.values_list("milestone", flat=True)) == ["arrive", "sign"]
    assert all(n.delivered_at for n in notices)
    mail.outbox.clear()
    services.scan_overdue(start + timedelta(minutes=30 + 61))
    escalations = SupervisionNotice.objects.filter(level=NoticeLevel.ESCALATION)
    assert escalations.count() == 2
    assert "li@example.com" in {m.to[0] for m in mail.outbox}  # the leader in charge
    urgent.refresh_from_db()
    assert urgent.circular_at is None
    services.scan_overdue(start + timedelta(minutes=30 + 241))
    urgent.refresh_from_db()
    assert urgent.circular_at is not None


def test_a_missed_run_catches_up_without_a_late_warning(urgent):
    # The scan did not run for hours: everything due is issued at once, but no warning
    # for a deadline already passed.
    services.scan_overdue(urgent.received_at + timedelta(hours=6))
    assert ("sign", "warning") not in levels(urgent)
    assert ("sign", "notice") in levels(urgent) and ("sign", "escalation") in levels(urgent)
    urgent.refresh_from_db()
    assert urgent.circular_at is not None


def test_running_twice_sends_nothing_twice(urgent):
    moment = urgent.received_at + timedelta(minutes=31)
    services.scan_overdue(moment)
    count, sent = SupervisionNotice.objects.count(), len(mail.outbox)
    urgent.refresh_from_db()
    urgent.next_check_at = moment - timedelta(minutes=1)  # as if claimed again by mistake
    urgent.save(update_fields=["next_check_at"])
    services.scan_overdue(moment)
    assert SupervisionNotice.objects.count() == count and len(mail.outbox) == sent


def test_nothing_new_pass_looks_at_no_ticket(urgent, django_assert_max_num_queries):
    services.scan_overdue(urgent.received_at + timedelta(minutes=31))
    # The policy, the claim that finds nothing and the delivery claim (each in a savepoint).
    with django_assert_max_num_queries(7):
        result = services.scan_overdue(urgent.received_at + timedelta(minutes=32))
    assert result == {"issued": 0, "circulated": 0, "delivered": 0}


def test_meeting_the_milestone_stops_its_supervision(urgent):
    services.record_event(
        urgent, TicketEvent.Type.SIGNED, urgent.received_at + timedelta(minutes=20)
    )
    services.scan_overdue(urgent.received_at + timedelta(hours=6))
    issued = levels(urgent)
    assert not [level for milestone, level in issued if milestone == "sign"]
    assert ("arrive", "notice") in issued and ("reply", "notice") in issued


def test_warning_share_is_editable(make_ticket, liaison_account):
    policy = SupervisionPolicy.current()
    policy.warning_percent = 0
    policy.save()
    ticket = make_ticket(urgency="urgent", received_at=timezone.now() - timedelta(days=1))
    services.scan_overdue(ticket.received_at + timedelta(minutes=29))
    assert not SupervisionNotice.objects.exists()


def test_notice_events_appear_in_the_timeline(urgent):
    services.scan_overdue(urgent.received_at + timedelta(minutes=31))
    notice_events = urgent.events.filter(type=TicketEvent.Type.NOTICE)
    assert notice_events.count() == 2
    assert all(e.data["number"].startswith("督办〔") for e in notice_events)


def test_manual_notice_and_acknowledgement(urgent, staff_user, liaison_account):
    notice = services.issue_notice_now(urgent, issued_by=staff_user)
    assert notice.level == NoticeLevel.NOTICE and notice.issued_by == staff_user
    assert services.issue_notice_now(urgent, issued_by=staff_user) is None  # exists already
    assert services.acknowledge_notice(notice, liaison_account) is True
    assert services.acknowledge_notice(notice, liaison_account) is False
    notice.refresh_from_db()
    assert notice.read_at and notice.acknowledged_at and notice.acknowledged_by == liaison_account
