"""generate_demo_tickets: realistic tickets, consistent with the rules the API applies."""

import copy
import io
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from apps.core.bulk import insert_rows
from apps.directory.models import UnitKind
from apps.diversion.models import Direction
from apps.tickets import services
from apps.tickets.deadlines import DeadlineBook
from apps.tickets.ingest import References
from apps.tickets.lifecycle import (
    EVENT_TIME_FIELDS,
    MILESTONE_FIELDS,
    OPEN_STATUSES,
    STEPS,
    Status,
)
from apps.tickets.models import Ticket, TicketEvent

COUNT = 600

# The timestamps each status has (True), must not have (False) or may have (None), as
# the lifecycle table makes them: on every path to the status, on some, or on none.
STAMPS = ("signed_at", "arrived_at", "replied_at", "completed_at", "returned_at", "rated_at")
EVENT_STAMPS = EVENT_TIME_FIELDS


def _stamps_by_status():
    reached = {Status.TRANSFERRED: [frozenset()]}
    frontier, seen = [(Status.TRANSFERRED, frozenset())], set()
    while frontier:
        status, stamps = frontier.pop()
        for step in STEPS.values():
            if status in step.needs and step.stamps not in stamps:
                state = (step.makes, stamps | {step.stamps})
                if state not in seen:
                    seen.add(state)
                    frontier.append(state)
                    reached.setdefault(step.makes, []).append(state[1])
    return {
        status: tuple(
            True if all(f in s for s in sets) else None if any(f in s for s in sets) else False
            for f in STAMPS
        )
        for status, sets in reached.items()
    }


EXPECTED = _stamps_by_status()


def instants(warn_at):
    return {m: datetime.fromisoformat(at) for m, at in warn_at.items()}


def generate(*args):
    out = io.StringIO()
    call_command("generate_demo_tickets", *map(str, args), stdout=out)
    return out.getvalue()


def recent(count=COUNT, seed=7, *extra):
    """The past 60 days up to now: old tickets are closed, recent ones still open."""
    end = timezone.localdate()
    start = end - timedelta(days=60)
    return generate("--count", count, "--start", start, "--end", end, "--seed", seed, *extra)


@pytest.fixture
def tickets(reference_data):
    recent()
    return list(
        Ticket.objects.select_related("unit", "region", "diversion_item", "diversion_list")
        .prefetch_related("events")
        .order_by("pk")
    )


def test_counts_and_unique_external_ids(tickets):
    assert len(tickets) == COUNT
    assert len({(t.source_platform, t.external_id) for t in tickets}) == COUNT
    assert all(t.external_id.startswith(f"DEMO{t.source_platform}-") for t in tickets)
    stamped = sum(1 + sum(getattr(t, f) is not None for f in STAMPS) for t in tickets)
    assert TicketEvent.objects.count() == stamped


def test_status_matches_timestamps_and_events(tickets):
    now = timezone.now()
    for t in tickets:
        assert t.status in Status.values
        for stamp, expected in zip(STAMPS, EXPECTED[t.status], strict=True):
            if expected is not None:
                assert (getattr(t, stamp) is not None) is expected, (t, t.status, stamp)
        moments = [t.received_at] + [
            getattr(t, f) for f in ("signed_at", "arrived_at", "replied_at", "completed_at")
        ]
        moments = [m for m in moments if m is not None]
        assert moments == sorted(moments), t
        assert max(moments) <= now
        assert bool(t.rating) is (t.rated_at is not None)
        assert bool(t.return_reason) is (t.returned_at is not None)
        if t.rated_at:
            assert t.completed_at < t.rated_at <= now
        if t.returned_at:
            assert t.returned_at >= (t.signed_at or t.received_at)
        if t.arrived_at:
            assert t.needs_on_site
        # The timeline holds exactly one event per stamp, at that moment.
        events = sorted((e.type, e.at) for e in t.events.all())
        wanted = [(TicketEvent.Type.CREATED, t.received_at)] + [
            (type_, getattr(t, stamp))
            for type_, stamp in EVENT_STAMPS.items()
            if getattr(t, stamp) is not None
        ]
        assert events == sorted(wanted), t
        for event in t.events.all():
            assert event.unit_id == t.unit_id
            if event.type == TicketEvent.Type.RATED:
                assert event.data == {"rating": t.rating}
            if event.type == TicketEvent.Type.RETURNED:
                assert event.data["reason_code"] == t.return_reason
        # The schedule is what the services compute for this state.
        again = copy.copy(t)
        services.refresh_schedule(again)
        assert (t.next_due_at, t.next_check_at) == (again.next_due_at, again.next_check_at), t


def test_tickets_follow_the_lists_in_force(tickets):
    refs = References()
    for t in tickets:
        assert t.diversion_list == refs.list_in_force(t.region, t.received_at)
        assert t.diversion_item.diversion_list_id == t.diversion_list_id
        assert t.unit.is_active and t.unit.region_id == t.region_id
        if t.diversion_item.direction == Direction.HOTLINE_TO_POLICE:
            assert t.source_platform == "12345" and t.unit.kind == UnitKind.POLICE
        else:
            assert t.diversion_item.direction == Direction.POLICE_TO_HOTLINE
            assert t.source_platform == "110"
            assert t.unit.kind in (UnitKind.GOVERNMENT, UnitKind.ENTERPRISE)
        assert t.summary and len(t.summary) < 80
        assert len(t.caller_phone) == 11 and t.caller_phone[:2] in {
            "13",
            "15",
            "16",
            "17",
            "18",
            "19",
        }


def test_deadlines_are_those_the_api_computes(tickets):
    book = DeadlineBook()
    for t in tickets:
        fresh = services.new_ticket(
            book=book,
            source_platform=t.source_platform,
            external_id=t.external_id,
            region=t.region,
            received_at=t.received_at,
            channel=t.channel,
            transfer_method=t.transfer_method,
            urgency=t.urgency,
            needs_on_site=t.needs_on_site,
            unit=t.unit,
            summary=t.summary,
        )
        for due_field, _met in MILESTONE_FIELDS.values():
            assert getattr(fresh, due_field) == getattr(t, due_field), (t, due_field)
        # The same moments (the API stores them in local time, as the generator does).
        assert instants(fresh.warn_at) == instants(t.warn_at)
        assert t.sign_by is not None and t.complete_by is not None


def test_realistic_mix(tickets):
    def share(predicate):
        return sum(1 for t in tickets if predicate(t)) / len(tickets)

    def late(t):
        return any(
            getattr(t, met) and getattr(t, due) and getattr(t, met) > getattr(t, due)
            for due, met in MILESTONE_FIELDS.values()
        )

    assert 0.70 < share(lambda t: t.urgency == "general") < 0.90
    assert 0.005 < share(lambda t: t.urgency == "major") < 0.08
    assert 0.04 < share(late) < 0.20
    assert 0.01 < share(lambda t: t.status == Status.RETURNED) < 0.07
    completed = [t for t in tickets if t.status == Status.COMPLETED]
    assert len(completed) > 0.6 * len(tickets)
    assert sum(1 for t in completed if t.rating) > 0.6 * len(completed)
    assert {t.rating for t in completed} >= {"satisfied", "basically_satisfied", "dissatisfied"}
    assert share(lambda t: t.status in (Status.TRANSFERRED, Status.SIGNED, Status.REPLIED)) > 0
    assert share(lambda t: t.restriction) < 0.05
    assert {t.source_platform for t in tickets} == {"12345", "110"}
    hours = [timezone.localtime(t.received_at).hour for t in tickets]
    assert sum(9 <= h < 12 for h in hours) > 3 * sum(0 <= h < 3 for h in hours)


def test_the_demo_has_every_state_overdue_tickets_and_notices_at_every_level(reference_data):
    from apps.tickets.models import SupervisionNotice

    # As many tickets of the last week as `make demo` has (3,000 over 90 days): with fewer,
    # a state only a few tickets are in now and then has none on the day the test runs.
    recent()
    end = timezone.localdate()
    generate("--count", 240, "--start", end - timedelta(days=6), "--end", end, "--seed", 8)
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    overdue = Ticket.objects.overdue().count()
    assert 0.1 < overdue / open_tickets.count() < 0.6  # a fair share, not all
    out = io.StringIO()
    call_command("scan_overdue", stdout=out)
    assert "Issued" in out.getvalue()
    levels = set(SupervisionNotice.objects.values_list("level", flat=True))
    assert levels >= {"notice", "escalation"}
    assert Ticket.objects.filter(circular_at__isnull=False).exists()


def test_a_rerun_continues_the_numbering(reference_data):
    recent(50)
    first = set(Ticket.objects.values_list("external_id", flat=True))
    recent(50)  # same seed: the same tickets again, under new numbers
    assert Ticket.objects.count() == 100
    second = set(Ticket.objects.values_list("external_id", flat=True)) - first
    assert len(second) == 50
    number = lambda ext: int(ext.rsplit("-", 1)[1])  # noqa: E731
    assert min(map(number, second)) > max(map(number, first))


def test_same_seed_same_tickets(reference_data):
    end = timezone.localdate() - timedelta(days=30)  # long closed: "now" changes nothing
    args = ("--count", 80, "--start", end - timedelta(days=20), "--end", end, "--seed", 3)
    generate(*args)
    generate(*args)
    generate(*args[:-1], 4)
    fields = ("received_at", "unit_id", "urgency", "status", "summary", "signed_at", "rating")
    rows = list(Ticket.objects.order_by("pk").values_list(*fields))
    assert rows[:80] == rows[80:160]
    assert rows[:80] != rows[160:]


def test_region_restricts(reference_data):
    recent(100, 1, "--region", "653024")
    assert set(Ticket.objects.values_list("region__division_code", flat=True)) == {"653024"}
    assert set(Ticket.objects.values_list("unit__region__division_code", flat=True)) == {"653024"}
    with pytest.raises(CommandError, match="diversion list in force"):
        recent(10, 1, "--region", "510400")  # 攀枝花 has units but no list
    with pytest.raises(CommandError, match="No region"):
        recent(10, 1, "--region", "999999")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_what_bulk_create_writes(reference_data):
    end = timezone.localdate() - timedelta(days=30)
    args = ("--count", 120, "--start", end - timedelta(days=20), "--end", end, "--seed", 5)
    generate(*args)
    generate(*args, "--bulk-create")
    skip = {"id", "external_id", "created_at"}
    names = [f.attname for f in Ticket._meta.concrete_fields if f.attname not in skip]
    rows = list(Ticket.objects.order_by("pk").values_list(*names))
    assert rows[:120] == rows[120:]
    events = list(
        TicketEvent.objects.order_by("ticket_id", "at", "type").values_list(
            "type", "at", "unit_id", "platform", "data"
        )
    )
    assert len(events) % 2 == 0 and events[: len(events) // 2] == events[len(events) // 2 :]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="insert_rows is bulk_create elsewhere"
)
def test_insert_rows_writes_what_bulk_create_writes(reference_data):
    """The intake's and the scan's fast path (insert_rows) against bulk_create."""
    end = timezone.localdate() - timedelta(days=30)
    generate("--count", 40, "--start", end - timedelta(days=5), "--end", end, "--seed", 9)
    originals = list(Ticket.objects.order_by("pk"))
    names = [f.attname for f in Ticket._meta.concrete_fields if f.attname != "id"]
    rows = [{n: getattr(t, n) for n in names} for t in originals]
    for row in rows:
        row["external_id"] += "-copy"
    ids = insert_rows(Ticket, rows)
    copies = {t.pk: t for t in Ticket.objects.filter(pk__in=ids)}
    assert len(copies) == len(originals)
    for original, pk in zip(originals, ids, strict=True):
        for name in names:
            if name != "external_id":
                assert getattr(copies[pk], name) == getattr(original, name), name
    events = [
        {f.attname: getattr(e, f.attname) for f in TicketEvent._meta.concrete_fields}
        for e in TicketEvent.objects.order_by("pk")[:200]
    ]
    for event in events:
        del event["id"]
    again = insert_rows(TicketEvent, events)
    copied = TicketEvent.objects.in_bulk(again)
    for event, pk in zip(events, again, strict=True):
        assert {k: getattr(copied[pk], k) for k in event} == event


def test_if_empty_generates_only_into_an_empty_table(reference_data):
    from apps.tickets.models import Ticket

    call_command("generate_demo_tickets", "--count", "20", "--if-empty", stdout=io.StringIO())
    assert Ticket.objects.count() == 20
    call_command("generate_demo_tickets", "--count", "20", "--if-empty", stdout=io.StringIO())
    assert Ticket.objects.count() == 20
