"""Working-time arithmetic (工作时间) over the working calendar.

Every function takes and returns timezone-aware datetimes and computes in the local time
of ``settings.TIME_ZONE`` (Asia/Shanghai). Shanghai has no daylight saving time, so
wall-clock arithmetic within a day is exact.

The rules come only from the database, so staff can change them in the admin:

* a date with a ``CalendarDay`` of kind ``workday`` (调休上班日) works the periods of its
  ``works_as_weekday``;
* else a date with a ``CalendarDay`` of kind ``holiday`` has no working time;
* else a date works the ``WorkingPeriod`` rows of its own weekday (none: a rest day).

Each call reads the working periods once and the calendar days in windows of dates (one
query for a span of up to ``WINDOW_DAYS``), never one query per day. A batch (an overdue
scan over thousands of tickets) builds one ``WorkingCalendar`` and passes it as
``calendar=`` to all calls, so the whole batch costs a handful of queries.
"""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .models import CalendarDay, DayKind, WorkingPeriod

# Calendar days are read this many days ahead at a time: a month-long deadline is one query.
WINDOW_DAYS = 92

# The longest run of days without working time before giving up. Real holiday blocks last
# about ten days; a whole year without working time means the data is wrong, and looping
# on would never end.
MAX_DAYS_WITHOUT_WORKING_TIME = 366

ZERO = timedelta(0)


class NoWorkingTimeError(RuntimeError):
    """The calendar has no working time where some was needed (misconfigured data)."""


class WorkingCalendar:
    """A snapshot of the working periods plus calendar days read on demand.

    Reuse one instance for a batch of computations; build a new one (or let the functions
    below do it) to see edits made since. Threads may share one (ticket intake does):
    loading more days is done under a lock.
    """

    def __init__(self):
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.periods = _load_periods()
        self._days = {}  # date -> (kind, works_as_weekday)
        self._first = self._last = None  # the loaded range of dates, both included
        self._intervals = {}  # date -> its working intervals, built once per snapshot
        self._lock = threading.Lock()

    def prefetch(self, first, last):
        """Make sure calendar days from first to last are loaded (at most two queries)."""
        with self._lock:
            self._extend(first, last)

    def _extend(self, first, last):
        if self._first is None:
            self._load(first, last)
            self._first, self._last = first, last
            return
        if first < self._first:
            self._load(first, self._first - timedelta(days=1))
            self._first = first
        if last > self._last:
            self._load(self._last + timedelta(days=1), last)
            self._last = last

    def _load(self, first, last):
        rows = CalendarDay.objects.between(first, last).values_list(
            "date", "kind", "works_as_weekday"
        )
        for day, kind, works_as in rows:
            self._days[day] = (kind, works_as)

    def intervals(self, day):
        """The day's working intervals as (start, end) aware datetimes, in order."""
        found = self._intervals.get(day)
        if found is None:
            found = self._intervals[day] = self._build_intervals(day)
        return found

    def _build_intervals(self, day):
        with self._lock:
            if self._first is None or not self._first <= day <= self._last:
                self._extend(day, day + timedelta(days=WINDOW_DAYS))
            kind, works_as = self._days.get(day, (None, None))
        if kind == DayKind.WORKDAY:
            weekday = works_as
        elif kind == DayKind.HOLIDAY:
            return ()
        else:
            weekday = day.weekday()
        return tuple(
            (
                datetime.combine(day, start, tzinfo=self.tz),
                datetime.combine(day, end, tzinfo=self.tz),
            )
            for start, end in self.periods.get(weekday, ())
        )

    def is_working_day(self, day):
        return bool(self.intervals(day))

    def working_days(self, first):
        """Yield (date, intervals) for each working day from ``first`` on, without end.

        Raises NoWorkingTimeError rather than loop for ever when the data has no working
        time (no periods at all, or a year of holidays).
        """
        if not self.periods:
            raise NoWorkingTimeError(
                _(
                    "No working periods are defined: add them under Working calendar → "
                    "Working periods before computing deadlines in working time."
                )
            )
        day, idle = first, 0
        while True:
            intervals = self.intervals(day)
            if intervals:
                idle = 0
                yield day, intervals
            else:
                idle += 1
                if idle > MAX_DAYS_WITHOUT_WORKING_TIME:
                    raise NoWorkingTimeError(
                        _(
                            "No working time in the %(n)d days up to %(day)s: check the "
                            "working periods and the holidays in the working calendar."
                        )
                        % {"n": MAX_DAYS_WITHOUT_WORKING_TIME, "day": day}
                    )
            day += timedelta(days=1)


def _load_periods():
    """Working periods per weekday: {weekday: [(start, end), ...]}, sorted and merged.

    Overlapping or touching periods are merged so that a bulk edit bypassing the
    admin's overlap check can never count the same minutes twice.
    """
    periods = {}
    for weekday, start, end in WorkingPeriod.objects.order_by("weekday", "start_time").values_list(
        "weekday", "start_time", "end_time"
    ):
        spans = periods.setdefault(weekday, [])
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return periods


def _local(moment, tz):
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"A timezone-aware datetime is needed, got {moment!r}.")
    return moment.astimezone(tz)


def add_working_time(start, duration, *, calendar=None):
    """The moment when ``duration`` of working time has elapsed after ``start``.

    If ``start`` lies outside working time, counting begins at the next working period's
    start. A deadline that uses up a period exactly ends at that period's end (e.g.
    12:00), not at the next period's start. A zero duration returns ``start`` itself.
    """
    if duration < ZERO:
        raise ValueError("The duration cannot be negative.")
    if calendar is None:
        calendar = WorkingCalendar()
    cursor = _local(start, calendar.tz)
    if duration == ZERO:
        return cursor
    remaining = duration
    for _day, intervals in calendar.working_days(cursor.date()):
        for begin, end in intervals:
            if end <= cursor:
                continue
            begin = max(begin, cursor)
            available = end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
    raise AssertionError("working_days() never ends")  # pragma: no cover


def add_working_days(start, days, *, calendar=None):
    """The deadline ``days`` working days after ``start``: the close of the last day.

    Definition (as the Civil Code counts periods in days, arts. 201 and 203): the day
    ``start`` falls on is never counted, whatever the hour; counting begins with the
    next date; only working days count (holidays and rest days are skipped, make-up
    working days count); the deadline is the end of the last working period of the
    ``days``-th working day. So a ticket received at any time on Friday 2024-09-27 with
    3 working days is due at 17:30 on Tuesday 2024-10-08 (Sun 09-29 make-up day, Mon
    09-30, then the National Day holiday, then Tue 10-08).

    ``days=0`` means "by the close of the working day in progress": the end of the last
    working period of ``start``'s date if that is still ahead, else the close of the
    next working day.
    """
    if days < 0:
        raise ValueError("The number of working days cannot be negative.")
    if calendar is None:
        calendar = WorkingCalendar()
    local = _local(start, calendar.tz)
    if days == 0:
        for _day, intervals in calendar.working_days(local.date()):
            close = intervals[-1][1]
            if close > local:
                return close
    following = calendar.working_days(local.date() + timedelta(days=1))
    for counted, (_day, intervals) in enumerate(following, start=1):
        if counted == days:
            return intervals[-1][1]
    raise AssertionError("working_days() never ends")  # pragma: no cover


def working_time_between(a, b, *, calendar=None):
    """Working time elapsed from ``a`` to ``b``, signed like ``b - a``.

    ``working_time_between(b, a) == -working_time_between(a, b)``, and for any
    non-negative duration ``working_time_between(t, add_working_time(t, d)) == d``.
    Used to tell how much of a deadline's allowed working time has gone (80% warnings).
    """
    if calendar is None:
        calendar = WorkingCalendar()
    a, b = _local(a, calendar.tz), _local(b, calendar.tz)
    if b < a:
        return -working_time_between(b, a, calendar=calendar)
    calendar.prefetch(a.date(), b.date())
    total, day = ZERO, a.date()
    while day <= b.date():
        for begin, end in calendar.intervals(day):
            overlap = min(end, b) - max(begin, a)
            if overlap > ZERO:
                total += overlap
        day += timedelta(days=1)
    return total


def working_days_between(first: date, last: date, *, calendar=None):
    """The working days from first to last (both included), in order."""
    if calendar is None:
        calendar = WorkingCalendar()
    calendar.prefetch(first, last)
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days
