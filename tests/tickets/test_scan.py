"""The overdue scan: warnings, notices, escalation, circular; never twice; catches up."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.timestamps import local_minute
from apps.notices import services as notices
from apps.tickets import services, supervision
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
    result = supervision.scan_overdue(urgent.received_at + timedelta(minutes=10))
    assert result["issued"] == 0 and not SupervisionNotice.objects.exists()


def test_warning_at_80_percent(urgent):
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=25))
    assert levels(urgent) == [("arrive", "warning"), ("sign", "warning")]
    assert len(mail.outbox) == 2  # one digest per address: the account and the liaison
    assert {m.to[0] for m in mail.outbox} == {"account@example.com", "wang@example.com"}
    assert "临期提醒" in mail.outbox[0].body


def test_notice_at_the_deadline_then_escalation_then_circular(urgent):
    start = urgent.received_at
    supervision.scan_overdue(start + timedelta(minutes=31))
    notices = SupervisionNotice.objects.filter(level=NoticeLevel.NOTICE)
    assert sorted(notices.values_list("milestone", flat=True)) == ["arrive", "sign"]
    assert all(n.notice.delivered_at for n in notices)
    mail.outbox.clear()
    supervision.scan_overdue(start + timedelta(minutes=30 + 61))
    escalations = SupervisionNotice.objects.filter(level=NoticeLevel.ESCALATION)
    assert escalations.count() == 2
    assert "li@example.com" in {m.to[0] for m in mail.outbox}  # the leader in charge
    urgent.refresh_from_db()
    assert urgent.circular_at is None
    supervision.scan_overdue(start + timedelta(minutes=30 + 241))
    urgent.refresh_from_db()
    assert urgent.circular_at is not None


def test_a_missed_run_catches_up_without_a_late_warning(urgent):
    # The scan did not run for hours: everything due is issued at once, but no warning
    # for a deadline already passed.
    supervision.scan_overdue(urgent.received_at + timedelta(hours=6))
    assert ("sign", "warning") not in levels(urgent)
    assert ("sign", "notice") in levels(urgent) and ("sign", "escalation") in levels(urgent)
    urgent.refresh_from_db()
    assert urgent.circular_at is not None


def test_running_twice_sends_nothing_twice(urgent):
    moment = urgent.received_at + timedelta(minutes=31)
    supervision.scan_overdue(moment)
    count, sent = SupervisionNotice.objects.count(), len(mail.outbox)
    urgent.refresh_from_db()
    urgent.next_check_at = moment - timedelta(minutes=1)  # as if claimed again by mistake
    urgent.save(update_fields=["next_check_at"])
    supervision.scan_overdue(moment)
    assert SupervisionNotice.objects.count() == count and len(mail.outbox) == sent


def test_nothing_new_pass_looks_at_no_ticket(urgent, django_assert_max_num_queries):
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=31))
    # The policy, the claim that finds nothing and the delivery claim (each in a savepoint).
    with django_assert_max_num_queries(7):
        result = supervision.scan_overdue(urgent.received_at + timedelta(minutes=32))
    assert result == {"issued": 0, "circulated": 0, "delivered": 0}


def test_meeting_the_milestone_stops_its_supervision(urgent):
    services.record_event(
        urgent, TicketEvent.Type.SIGNED, urgent.received_at + timedelta(minutes=20)
    )
    supervision.scan_overdue(urgent.received_at + timedelta(hours=6))
    issued = levels(urgent)
    assert not [level for milestone, level in issued if milestone == "sign"]
    assert ("arrive", "notice") in issued and ("reply", "notice") in issued


def test_warning_share_is_editable(make_ticket, liaison_account):
    policy = SupervisionPolicy.current()
    policy.warning_percent = 0
    policy.save()
    ticket = make_ticket(urgency="urgent", received_at=timezone.now() - timedelta(days=1))
    supervision.scan_overdue(ticket.received_at + timedelta(minutes=29))
    assert not SupervisionNotice.objects.exists()


def test_notice_events_appear_in_the_timeline(urgent):
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=31))
    notice_events = urgent.events.filter(type=TicketEvent.Type.NOTICE)
    assert notice_events.count() == 2
    assert all(e.data["number"].startswith("督办〔") for e in notice_events)


def test_manual_notice_and_acknowledgement(urgent, staff_user, liaison_account):
    notice = supervision.issue_notice_now(urgent, issued_by=staff_user)
    assert notice.level == NoticeLevel.NOTICE and notice.issued_by == staff_user
    assert notices.acknowledge(notice.notice, liaison_account) is True
    assert notices.acknowledge(notice.notice, liaison_account) is False
    notice.notice.refresh_from_db()
    assert notice.notice.read_at and notice.notice.acknowledged_at
    assert notice.notice.acknowledged_by == liaison_account


def test_a_manual_notice_after_the_scans_is_issued_and_numbered_next(urgent, staff_user):
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=31))
    scanned = list(urgent.supervision_notices.order_by("serial"))
    assert [n.serial for n in scanned] == list(range(1, len(scanned) + 1))
    first = supervision.issue_notice_now(urgent, issued_by=staff_user, text="请立即处置")
    second = supervision.issue_notice_now(urgent, issued_by=staff_user, text="再次督办")
    assert (first.serial, second.serial) == (len(scanned) + 1, len(scanned) + 2)
    assert first.notice.body.startswith("请立即处置") and second.notice.body.startswith("再次督办")
    assert first.number == f"督办〔{first.year}〕{len(scanned) + 1:06d}"


def test_numbers_start_again_each_year(urgent):
    new_year = timezone.make_aware(datetime(2027, 1, 1, 0, 5))
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=31))
    last_year = urgent.supervision_notices.count()
    urgent.refresh_from_db()
    urgent.next_check_at = new_year
    urgent.save(update_fields=["next_check_at"])
    supervision.scan_overdue(new_year)
    fresh = urgent.supervision_notices.filter(year=2027).order_by("serial")
    assert fresh.exists() and fresh[0].number == "督办〔2027〕000001"
    assert urgent.supervision_notices.filter(year__lt=2027).count() == last_year


def test_the_notice_text_says_what_to_do_by_when(urgent):
    supervision.scan_overdue(urgent.received_at + timedelta(minutes=31))
    notice = urgent.supervision_notices.select_related("notice").get(
        milestone="sign", level=NoticeLevel.NOTICE
    )
    assert urgent.external_id in notice.notice.body
    assert "前完成反馈" in notice.notice.body  # the instruction, in the inbox and not only mail
    assert notice.notice.requires_acknowledgement
    assert notice.notice.link == reverse("admin:tickets_ticket_change", args=[urgent.pk])


def test_the_reply_time_runs_from_the_deadline_or_from_the_notice_when_past_it(
    make_ticket, staff_user, liaison_account
):
    escalate = timedelta(minutes=SupervisionPolicy.current().escalate_after_minutes)
    received = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    ticket = make_ticket(urgency="urgent", received_at=received)  # sign by received + 30'
    early = supervision.issue_notice_now(ticket, issued_by=staff_user)  # before the deadline
    assert f"须于 {local_minute(early.deadline + escalate)} " in early.notice.body
    scanned_at = received + timedelta(minutes=47)
    supervision.scan_overdue(scanned_at)
    late = ticket.supervision_notices.select_related("notice").get(
        milestone="sign", level=NoticeLevel.NOTICE, issued_by__isnull=True
    )
    assert late.deadline < scanned_at
    assert f"须于 {local_minute(scanned_at + escalate)} " in late.notice.body


def test_a_scan_over_several_batches_sends_one_digest_per_address(
    make_ticket, liaison_account, monkeypatch
):
    monkeypatch.setattr(supervision, "SCAN_BATCH", 1)  # each ticket its own batch
    received = timezone.now().replace(microsecond=0) - timedelta(days=1)
    tickets = [make_ticket(urgency="urgent", received_at=received) for _n in range(3)]
    result = supervision.scan_overdue(received + timedelta(minutes=31))
    assert result["issued"] == 6 and result["delivered"] == 12  # two addresses each
    assert sorted(m.to[0] for m in mail.outbox) == ["account@example.com", "wang@example.com"]
    assert all(t.external_id in mail.outbox[0].body for t in tickets)
    assert not notices.deliver_pending()  # nothing left claimed or due
