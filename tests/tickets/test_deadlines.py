"""Deadlines from the seeded policies, on China's working calendar."""

from datetime import timedelta

import pytest

from apps.tickets.models import DeadlineRule

from .conftest import local


def test_urgent_ticket_signs_in_30_minutes_and_is_on_site_in_2_hours(make_ticket, tier3_unit):
    received = local(2026, 3, 10, 10, 0)
    ticket = make_ticket(urgency="urgent", unit=tier3_unit, received_at=received)
    assert ticket.needs_on_site
    assert ticket.sign_by == received + timedelta(minutes=30)  # 钦州
    assert ticket.arrive_by == received + timedelta(hours=2)


def test_tier1_unit_is_on_site_within_30_minutes(make_ticket, police):
    received = local(2026, 3, 10, 10, 0)
    ticket = make_ticket(urgency="urgent", unit=police, received_at=received)
    assert ticket.arrive_by == received + timedelta(minutes=30)  # 南通, stricter policy wins


def test_on_site_deadline_only_when_staff_must_attend(make_ticket, tier3_unit):
    received = local(2026, 3, 10, 10, 0)
    assert make_ticket(received_at=received).arrive_by is None
    # 南通's 30 minutes bind a tier-1 unit whenever it must send someone, whatever the urgency.
    on_site = make_ticket(received_at=received, needs_on_site=True)
    assert on_site.arrive_by == received + timedelta(minutes=30)
    # No policy gives a general ticket of a tier-3 unit an on-site deadline.
    assert make_ticket(received_at=received, needs_on_site=True, unit=tier3_unit).arrive_by is None


def test_general_ticket_defaults(make_ticket):
    received = local(2026, 3, 10, 10, 0)  # a Tuesday
    ticket = make_ticket(received_at=received)
    assert ticket.sign_by == received + timedelta(hours=2)
    assert ticket.reply_by == local(2026, 3, 12, 17, 30)  # 2 working days
    assert ticket.complete_by == local(2026, 3, 17, 17, 30)  # 5 working days


def test_tier3_ticket_at_1650_before_spring_festival_waits_for_the_holiday_to_end(
    make_ticket, tier3_unit
):
    # 2026-02-14 (Saturday) is the make-up working day before the 02-15..02-23 holiday.
    ticket = make_ticket(unit=tier3_unit, received_at=local(2026, 2, 14, 16, 50))
    assert ticket.sign_by == local(2026, 2, 24, 9, 50)  # 40 min that day, 80 min after


def test_tier3_ticket_on_a_make_up_sunday_counts_that_day(make_ticket, tier3_unit):
    # 2026-01-04 is a Sunday worked for the New Year holiday.
    ticket = make_ticket(unit=tier3_unit, received_at=local(2026, 1, 4, 9, 0))
    assert ticket.sign_by == local(2026, 1, 4, 11, 0)


def test_tier3_ticket_at_night_starts_counting_next_morning(make_ticket, tier3_unit):
    ticket = make_ticket(unit=tier3_unit, received_at=local(2026, 3, 10, 22, 0))
    assert ticket.sign_by == local(2026, 3, 11, 10, 30)


def test_warning_falls_at_80_percent_of_the_allowed_time(make_ticket):
    received = local(2026, 3, 10, 10, 0)
    ticket = make_ticket(received_at=received)
    assert ticket.warn_at["sign"] == (received + timedelta(minutes=96)).isoformat()


def test_editing_a_policy_does_not_rewrite_running_tickets(make_ticket):
    received = local(2026, 3, 10, 10, 0)
    before = make_ticket(received_at=received)
    DeadlineRule.objects.filter(policy__name="一般工单默认时限", milestone="sign").update(amount=1)
    after = make_ticket(received_at=received)
    before.refresh_from_db()
    assert before.sign_by == received + timedelta(hours=2)
    assert after.sign_by == received + timedelta(hours=1)


def test_inactive_policy_is_ignored(make_ticket, tier3_unit):
    from apps.tickets.models import DeadlinePolicy

    DeadlinePolicy.objects.filter(linkage_tier=3).update(is_active=False)
    received = local(2026, 3, 10, 22, 0)
    assert make_ticket(unit=tier3_unit, received_at=received).sign_by == received + timedelta(
        hours=2
    )


@pytest.mark.parametrize("urgency", ["general", "urgent", "major"])
def test_every_urgency_has_sign_reply_and_complete_deadlines(make_ticket, urgency):
    ticket = make_ticket(urgency=urgency, received_at=local(2026, 3, 10, 10, 0))
    assert ticket.sign_by and ticket.reply_by and ticket.complete_by
    assert ticket.sign_by <= ticket.reply_by <= ticket.complete_by
