"""Only allowed transitions; every change leaves its event; returns and re-routing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.tickets import services
from apps.tickets.lifecycle import (
    MILESTONE_EVENTS,
    OPEN_STATUSES,
    STEPS,
    Milestone,
    Status,
    may_follow,
)
from apps.tickets.models import Ticket, TicketEvent

SIGNED, ARRIVED, REPLIED = (
    TicketEvent.Type.SIGNED,
    TicketEvent.Type.ARRIVED,
    TicketEvent.Type.REPLIED,
)
COMPLETED, RETURNED, RATED = (
    TicketEvent.Type.COMPLETED,
    TicketEvent.Type.RETURNED,
    TicketEvent.Type.RATED,
)


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(received_at=timezone.now() - timedelta(hours=3), urgency="urgent")


def at(minutes_after_receipt, ticket):
    return ticket.received_at + timedelta(minutes=minutes_after_receipt)


def test_full_life_with_events_in_order(ticket):
    for minutes, event in ((10, SIGNED), (25, ARRIVED), (60, REPLIED), (120, COMPLETED)):
        assert services.record_event(ticket, event, at(minutes, ticket)) is True
    services.record_event(ticket, RATED, at(130, ticket), rating="satisfied")
    ticket.refresh_from_db()
    assert ticket.status == Status.COMPLETED and ticket.rating == "satisfied"
    assert ticket.next_due_at is None and ticket.next_check_at is None
    assert list(ticket.events.values_list("type", flat=True)) == [
        "created",
        "signed",
        "arrived",
        "replied",
        "completed",
        "rated",
    ]


def test_completing_before_signing_is_refused_naming_the_state(ticket):
    with pytest.raises(services.TransitionRefused) as exc:
        services.record_event(ticket, COMPLETED, at(5, ticket))
    assert "待签收" in exc.value.messages[0]
    ticket.refresh_from_db()
    assert ticket.status == Status.TRANSFERRED and ticket.events.count() == 1


def test_nothing_after_completion_but_one_rating(ticket):
    services.record_event(ticket, SIGNED, at(10, ticket))
    services.record_event(ticket, COMPLETED, at(20, ticket))
    with pytest.raises(services.TransitionRefused, match="已办结"):
        services.record_event(ticket, RETURNED, at(30, ticket), reason_code="other")
    services.record_event(ticket, RATED, at(40, ticket), rating="dissatisfied")
    with pytest.raises(services.TransitionRefused):
        services.record_event(ticket, RATED, at(50, ticket), rating="satisfied")


def test_repeating_an_event_is_harmless(ticket):
    assert services.record_event(ticket, SIGNED, at(10, ticket)) is True
    assert services.record_event(ticket, SIGNED, at(10, ticket)) is False
    assert ticket.events.filter(type=SIGNED).count() == 1


def test_times_must_follow_each_other_and_not_lie_ahead(ticket):
    services.record_event(ticket, SIGNED, at(30, ticket))
    with pytest.raises(ValidationError) as exc:
        services.record_event(ticket, REPLIED, at(20, ticket))
    assert "at" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.record_event(ticket, REPLIED, timezone.now() + timedelta(hours=1))


def test_signing_moves_the_next_deadline(ticket):
    assert ticket.next_due_at == ticket.sign_by
    services.record_event(ticket, SIGNED, at(10, ticket))
    ticket.refresh_from_db()
    assert ticket.next_due_at == ticket.arrive_by


def test_return_then_reroute_keeps_history_and_starts_fresh_deadlines(
    ticket, tier3_unit, staff_user, police
):
    services.record_event(
        ticket, RETURNED, at(10, ticket), reason_code="not_our_duty", reason_text="属于发改职责"
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RETURNED and ticket.next_due_at is None
    returned = ticket.events.get(type=RETURNED)
    assert returned.unit == police  # backflow counts against the returning unit
    moment = timezone.now()
    services.reroute(ticket, tier3_unit, actor=staff_user, now=moment)
    ticket.refresh_from_db()
    assert ticket.unit == tier3_unit and ticket.routing_round == 2
    assert ticket.status == Status.TRANSFERRED and ticket.returned_at is None
    assert ticket.sign_by == moment + timedelta(minutes=30)
    assert [e.type for e in ticket.events.all()] == ["created", "returned", "rerouted"]


def test_signed_ticket_cannot_be_rerouted(ticket, tier3_unit, staff_user):
    services.record_event(ticket, SIGNED, at(10, ticket))
    with pytest.raises(services.TransitionRefused, match="已签收"):
        services.reroute(ticket, tier3_unit, actor=staff_user)


def test_events_are_append_only(ticket):
    event = ticket.events.get()
    event.data = {"changed": True}
    with pytest.raises(ValidationError):
        event.save()


def test_the_table_derives_every_status_from_transferred():
    assert set(MILESTONE_EVENTS) == set(Milestone)  # each deadline is met by one event
    assert {step.makes for step in STEPS.values()} | {Status.TRANSFERRED} == set(Status)
    assert may_follow("signed", Status.TRANSFERRED) and not may_follow("signed", Status.SIGNED)
    assert not may_follow("rerouted", Status.RETURNED)  # re-routing is staff's, not a step
    handling = [e for e, step in STEPS.items() if step.handling]
    assert all(STEPS[e].needs <= set(OPEN_STATUSES) for e in handling)


def test_late_for_a_milestone_met_late_or_unmet_past_it(make_ticket):
    now = timezone.now()
    on_time = make_ticket(received_at=now - timedelta(hours=1))
    signed_late = make_ticket(received_at=now - timedelta(hours=5))
    unsigned = make_ticket(received_at=now - timedelta(hours=5))
    Ticket.objects.filter(pk=on_time.pk).update(signed_at=now - timedelta(minutes=50))
    Ticket.objects.filter(pk=signed_late.pk).update(signed_at=now - timedelta(minutes=30))
    late = set(Ticket.objects.late("sign").values_list("pk", flat=True))
    assert late == {signed_late.pk, unsigned.pk}
    assert set(Ticket.objects.overdue().values_list("pk", flat=True)) >= {unsigned.pk}
    assert on_time.pk not in set(Ticket.objects.overdue().values_list("pk", flat=True))
