"""Filling the daily rollups: aggregated in the database, kept current by a watermark.

Every figure is counted by the day the ticket was received (Asia/Shanghai), so what
happens to a ticket later (signed, returned, noticed, rated a week on) changes its
received day's rows. ``refresh_changed`` finds those days from what was recorded since
the last refresh (ticket events, acknowledged supervision notices, circulars) and
rebuilds them whole; ``rebuild`` does the same for any range. The on-time counts of a
day take the grace of the assessment scheme in force on it (a scheme takes effect in
the future only, so no day is ever counted under two). Rebuilding a day is
deleting its rows and inserting them again in one transaction, so running it twice, or
on two workers (they queue on the state row), gives the same rows.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from apps.core.bulk import insert_rows
from apps.tickets.lifecycle import MILESTONE_EVENTS, MILESTONE_FIELDS
from apps.tickets.models import (
    NoticeLevel,
    Rating,
    SupervisionNotice,
    Ticket,
    TicketEvent,
    late_condition,
    overdue_condition,
    reached_at,
)

from .models import AssessmentScheme, DailyRollup, RollupState
from .models.rollups import MEASURES

# A change committed late (a long transaction) may carry an earlier ``recorded_at`` than
# the last watermark: each refresh looks this far behind it again (rebuilding is cheap).
OVERLAP = timedelta(minutes=10)
# Days rebuilt per transaction: a month of a busy city is some ten thousand rows.
CHUNK_DAYS = 31

KEY = ("day", "region_id", "unit_id", "source_platform", "urgency", "item_code")


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last``, in the office's time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


def _ticket_counts(now, graces) -> dict:
    """Each measure counted on the ticket itself, as ``Count`` with its condition; on
    time allows the ``graces`` (a timedelta per milestone)."""
    on_time = {}
    for milestone, (due, _met) in MILESTONE_FIELDS.items():
        grace = graces.get(milestone)
        on_time[f"{milestone}_due"] = Q(**{f"{due}__isnull": False})
        on_time[f"{MILESTONE_EVENTS[milestone]}_on_time"] = Q(
            LessThanOrEqual(reached_at(milestone), F(due) + grace if grace else F(due))
        )
    conditions = {
        "received": Q(),
        "restricted": ~Q(restriction=""),
        **on_time,
        "completed": Q(completed_at__isnull=False),
        "late": reduce(or_, (late_condition(m, now) for m in MILESTONE_FIELDS)),
        "overdue_now": overdue_condition(now),
        "rerouted": Q(routing_round__gt=1),
        "satisfied": Q(rating=Rating.SATISFIED),
        "basically_satisfied": Q(rating=Rating.BASICALLY_SATISFIED),
        "dissatisfied": Q(rating=Rating.DISSATISFIED),
        "unreachable": Q(rating=Rating.UNREACHABLE),
        "circulars": Q(circular_at__isnull=False),
    }
    return {
        name: Count("id", filter=condition) if condition else Count("id")
        for name, condition in conditions.items()
    }


def _grouped(queryset, prefix, unit_field, counts, start, end):
    """``counts`` of ``queryset`` grouped by the rollup key, the ticket reached through
    ``prefix`` and the unit taken from ``unit_field``."""
    tz = timezone.get_current_timezone()
    return (
        queryset.filter(**{f"{prefix}received_at__gte": start, f"{prefix}received_at__lt": end})
        .annotate(
            day=TruncDate(f"{prefix}received_at", tzinfo=tz),
            rollup_region=F(f"{prefix}region_id"),
            rollup_unit=F(unit_field),
            rollup_platform=F(f"{prefix}source_platform"),
            rollup_urgency=F(f"{prefix}urgency"),
            rollup_item=F(f"{prefix}diversion_item__item_code"),
        )
        .values(
            "day",
            "rollup_region",
            "rollup_unit",
            "rollup_platform",
            "rollup_urgency",
            "rollup_item",
        )
        .annotate(**counts)
        .order_by()
    )


def _aggregate(first: date, last: date, now) -> list[dict]:
    """The rollup rows of the days ``first`` to ``last``, from grouped queries: the
    tickets (under their current unit; one query per assessment scheme in force), the
    returns (under the unit that returned) and the supervision notices (under the unit
    noticed)."""
    start, end = local_day_bounds(first, last)
    notices = Q(level__in=[NoticeLevel.NOTICE, NoticeLevel.ESCALATION])
    sources = [
        _grouped(Ticket.objects, "", "unit_id", _ticket_counts(now, graces), *bounds)
        for bounds, graces in _grace_spans(first, last)
    ]
    sources += [
        _grouped(
            TicketEvent.objects.filter(type=TicketEvent.Type.RETURNED, unit__isnull=False),
            "ticket__",
            "unit_id",
            {"returned": Count("id")},
            start,
            end,
        ),
        _grouped(
            SupervisionNotice.objects.filter(notices),
            "ticket__",
            "unit_id",
            {
                "notices": Count("id"),
                "notices_acknowledged": Count(
                    "id", filter=Q(notice__acknowledged_at__isnull=False)
                ),
            },
            start,
            end,
        ),
    ]
    rows = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for source in sources:
        for found in source:
            key = (
                found.pop("day"),
                found.pop("rollup_region"),
                found.pop("rollup_unit"),
                found.pop("rollup_platform"),
                found.pop("rollup_urgency"),
                found.pop("rollup_item") or "",
            )
            row = rows[key]
            for measure, value in found.items():
                row[measure] += value
    return [
        {**dict(zip(KEY, key, strict=True)), **measures, "refreshed_at": now}
        for key, measures in rows.items()
    ]


def _grace_spans(first: date, last: date):
    """The days ``first`` to ``last`` split where another assessment scheme takes
    effect: (bounds, graces) for each part, the graces of the scheme in force there."""
    schemes = list(
        AssessmentScheme.objects.order_by("effective_from").prefetch_related("on_time_rules")
    )
    if not schemes:
        yield local_day_bounds(first, last), {}
    for i, scheme in enumerate(schemes):
        # The first scheme covers the days before it too, as its weights do (scheme_for).
        begins = max(first, scheme.effective_from) if i else first
        ends = last
        if i + 1 < len(schemes):
            ends = min(last, schemes[i + 1].effective_from - timedelta(days=1))
        if begins <= ends:
            yield local_day_bounds(begins, ends), scheme.graces()


def _lock_state() -> RollupState:
    """The state row, locked until the transaction ends: two rebuilds of one day would
    each delete the rows and the second's insert would collide with the first's."""
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def rebuild(first: date, last: date, *, now=None) -> int:
    """Rebuild every rollup row of the days ``first`` to ``last``; returns the rows
    written. A month per transaction: readers see a day's old rows or its new ones."""
    now = now or timezone.now()
    written = 0
    day = first
    while day <= last:
        chunk_end = min(day + timedelta(days=CHUNK_DAYS - 1), last)
        with transaction.atomic():
            _lock_state()
            DailyRollup.objects.filter(day__gte=day, day__lte=chunk_end).delete()
            rows = _aggregate(day, chunk_end, now)
            insert_rows(DailyRollup, rows)
            written += len(rows)
        day = chunk_end + timedelta(days=1)
    return written


def rebuild_days(days, *, now=None) -> int:
    """Rebuild the given days, each run of consecutive days at once."""
    written = 0
    for first, last in _runs(sorted(set(days))):
        written += rebuild(first, last, now=now)
    return written


def _runs(days):
    run = []
    for day in days:
        if run and day != run[-1] + timedelta(days=1):
            yield run[0], run[-1]
            run = []
        run.append(day)
    if run:
        yield run[0], run[-1]


def changed_days(since) -> set[date]:
    """The received days of the tickets that changed since ``since``: a new event
    (receipt, each step, return, re-routing, rating, supervision notice), an
    acknowledged notice, or a circular."""
    tz = timezone.get_current_timezone()
    received_day = TruncDate("ticket__received_at", tzinfo=tz)
    days = set(
        TicketEvent.objects.filter(recorded_at__gte=since)
        .annotate(d=received_day)
        .values_list("d", flat=True)
        .distinct()
    )
    days.update(
        SupervisionNotice.objects.filter(notice__acknowledged_at__gte=since)
        .annotate(d=received_day)
        .values_list("d", flat=True)
        .distinct()
    )
    days.update(
        Ticket.objects.filter(circular_at__gte=since)
        .annotate(d=TruncDate("received_at", tzinfo=tz))
        .values_list("d", flat=True)
        .distinct()
    )
    return days


def refresh_changed(now=None) -> int:
    """Bring the rollups up to ``now``: the first time every day with tickets, then the
    days changed since the last refresh. Refreshes queue on the state row."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _lock_state()
        if state.refreshed_up_to is None:
            first = Ticket.objects.aggregate(first=Min("received_at"))["first"]
            written = (
                rebuild(timezone.localdate(first), timezone.localdate(now), now=now) if first else 0
            )
        else:
            written = rebuild_days(changed_days(state.refreshed_up_to - OVERLAP), now=now)
        state.refreshed_up_to = now
        state.save(update_fields=["refreshed_up_to"])
    return written
