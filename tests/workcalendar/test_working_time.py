from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.workcalendar.models import CalendarDay, DayKind, Weekday, WorkingPeriod
from apps.workcalendar.selectors import (
    NoWorkingTimeError,
    WorkingCalendar,
    add_working_days,
    add_working_time,
    working_days_between,
    working_time_between,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = timedelta(hours=1)
MINUTES = timedelta(minutes=1)


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def calendar_days(kind, year):
    return dict(CalendarDay.objects.in_year(year).filter(kind=kind).values_list("date", "name"))


# --- The seeded data -------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_seeded_calendar_days_are_the_packages_holidays_and_make_up_days(year):
    holidays = calendar_days(DayKind.HOLIDAY, year)
    workdays = calendar_days(DayKind.WORKDAY, year)
    assert set(holidays) == {d for d in chinese_calendar.holidays if d.year == year}
    assert set(workdays) == {d for d in chinese_calendar.workdays if d.year == year}
    for day in holidays:
        assert chinese_calendar.is_holiday(day)
    for day in workdays:
        assert chinese_calendar.is_workday(day) and day.weekday() >= 5
    assert set(holidays.values()) | set(workdays.values()) <= {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }


def test_seed_counts_per_year():
    counts = {
        year: (len(calendar_days(DayKind.HOLIDAY, year)), len(calendar_days(DayKind.WORKDAY, year)))
        for year in (2024, 2025, 2026)
    }
    assert counts == {2024: (28, 8), 2025: (28, 5), 2026: (33, 6)}


def test_seeded_2026_spring_festival_is_the_state_councils():
    # 国办发明电〔2025〕7号: 春节 2月15日（周日）至23日（周一）放假调休，共9天；
    # 2月14日（周六）、2月28日（周六）上班。
    holiday = [date(2026, 2, d) for d in range(15, 24)]
    assert calendar_days(DayKind.HOLIDAY, 2026).keys() >= set(holiday)
    assert {d for d, name in calendar_days(DayKind.HOLIDAY, 2026).items() if name == "春节"} == set(
        holiday
    )
    assert {d for d, name in calendar_days(DayKind.WORKDAY, 2026).items() if name == "春节"} == {
        date(2026, 2, 14),
        date(2026, 2, 28),
    }
    assert date(2026, 2, 14).weekday() == date(2026, 2, 28).weekday() == Weekday.SATURDAY
    # The package, from which the seed was copied, agrees day by day.
    assert chinese_calendar.get_holiday_detail(date(2026, 2, 15)) == (True, "Spring Festival")
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert chinese_calendar.is_holiday(date(2026, 2, 23))
    assert chinese_calendar.is_workday(date(2026, 2, 24))
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).works_as_weekday == Weekday.MONDAY


def test_seeded_working_periods_are_the_office_default():
    periods = list(WorkingPeriod.objects.values_list("weekday", "start_time", "end_time"))
    expected = [
        (weekday, start, end)
        for weekday in range(5)
        for start, end in ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))
    ]
    assert periods == expected


# --- add_working_time -----------------------------------------------------------------------


def test_two_working_hours_from_1650_before_the_2026_spring_festival_land_after_it():
    # The last working day before the holiday is the make-up Saturday 2026-02-14.
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == [
        date(2026, 2, 13),
        date(2026, 2, 14),
        date(2026, 2, 24),
    ]
    received = at(2026, 2, 14, 16, 50)
    deadline = add_working_time(received, 2 * HOURS)
    # 40 minutes until 17:30 on the 14th, the other 80 from 08:30 on Tuesday the 24th.
    assert deadline == at(2026, 2, 24, 9, 50)
    assert deadline.tzinfo.key == "Asia/Shanghai"
    assert working_time_between(received, deadline) == 2 * HOURS


def test_a_make_up_sunday_counts_as_working():
    make_up_sunday = date(2026, 1, 4)  # 元旦 2026: 1月4日（周日）上班
    assert make_up_sunday.weekday() == Weekday.SUNDAY
    assert chinese_calendar.get_holiday_detail(make_up_sunday) == (False, "New Year's Day")
    assert add_working_time(at(2026, 1, 4, 9), 4 * HOURS) == at(2026, 1, 4, 14, 30)
    # An ordinary Sunday a week later is not: counting starts on Monday morning.
    assert add_working_time(at(2026, 1, 11, 9), 4 * HOURS) == at(2026, 1, 12, 14, 0)


def test_start_in_the_lunch_break_counts_from_the_afternoon():
    assert add_working_time(at(2026, 3, 10, 12, 15), 30 * MINUTES) == at(2026, 3, 10, 14, 0)


def test_start_at_night_counts_from_the_next_morning():
    assert add_working_time(at(2026, 3, 10, 22, 0), HOURS) == at(2026, 3, 11, 9, 30)
    assert add_working_time(at(2026, 3, 11, 3, 0), HOURS) == at(2026, 3, 11, 9, 30)
    # Friday night: the weekend is skipped.
    assert add_working_time(at(2026, 3, 13, 20, 0), HOURS) == at(2026, 3, 16, 9, 30)


def test_a_deadline_that_fills_the_morning_ends_at_noon_not_at_1330():
    assert add_working_time(at(2026, 3, 10, 8, 30), 3.5 * HOURS) == at(2026, 3, 10, 12, 0)
    assert add_working_time(at(2026, 3, 10, 11, 0), 2 * HOURS) == at(2026, 3, 10, 14, 30)


def test_24_working_hours_are_more_than_three_working_days():
    # 7.5 working hours a day: Mon, Tue, Wed give 22.5 hours, the last 1.5 on Thursday.
    monday = at(2026, 3, 9, 8, 30)
    assert monday.weekday() == Weekday.MONDAY
    assert add_working_time(monday, 24 * HOURS) == at(2026, 3, 12, 10, 0)
    assert add_working_time(monday, 24 * HOURS) - monday > 24 * HOURS


def test_zero_duration_returns_the_start_and_negative_is_refused():
    start = at(2026, 3, 10, 22, 0)
    assert add_working_time(start, timedelta(0)) == start
    with pytest.raises(ValueError):
        add_working_time(start, -HOURS)


def test_utc_input_is_computed_in_shanghai_time():
    start = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
    assert add_working_time(start, 30 * MINUTES) == at(2026, 3, 10, 9, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_time(datetime(2026, 3, 10, 9), HOURS)


# --- add_working_days -----------------------------------------------------------------------


def test_add_working_days_across_the_2024_national_day_week():
    # 2024: 10月1日至7日放假调休；9月29日（周日）、10月12日（周六）上班。
    assert chinese_calendar.is_workday(date(2024, 9, 29))
    friday = at(2024, 9, 27, 10, 0)
    assert add_working_days(friday, 1) == at(2024, 9, 29, 17, 30)  # the make-up Sunday
    assert add_working_days(friday, 2) == at(2024, 9, 30, 17, 30)
    assert add_working_days(friday, 3) == at(2024, 10, 8, 17, 30)
    # The hour of receipt does not matter: the day of receipt is never counted.
    assert add_working_days(at(2024, 9, 27, 23, 59), 3) == at(2024, 10, 8, 17, 30)
    assert add_working_days(at(2024, 9, 27, 0, 1), 3) == at(2024, 10, 8, 17, 30)


def test_add_working_days_from_inside_the_2025_holiday_and_onto_a_make_up_saturday():
    # 2025: 10月1日至8日放假；10月11日（周六）上班。
    in_holiday = at(2025, 10, 3, 11, 0)
    assert add_working_days(in_holiday, 1) == at(2025, 10, 9, 17, 30)
    assert add_working_days(in_holiday, 3) == at(2025, 10, 11, 17, 30)
    assert add_working_days(in_holiday, 4) == at(2025, 10, 13, 17, 30)


def test_zero_working_days_means_the_close_of_the_working_day_in_progress():
    assert add_working_days(at(2026, 3, 10, 7, 0), 0) == at(2026, 3, 10, 17, 30)
    assert add_working_days(at(2026, 3, 10, 16, 0), 0) == at(2026, 3, 10, 17, 30)
    assert add_working_days(at(2026, 3, 10, 18, 0), 0) == at(2026, 3, 11, 17, 30)
    assert add_working_days(at(2026, 3, 14, 10, 0), 0) == at(2026, 3, 16, 17, 30)  # Saturday
    with pytest.raises(ValueError):
        add_working_days(at(2026, 3, 10, 9), -1)


# --- working_time_between -------------------------------------------------------------------


def test_working_time_between_is_antisymmetric_and_counts_make_up_days():
    a, b = at(2026, 2, 13, 10, 0), at(2026, 2, 25, 11, 0)
    # Fri 13th 6h, make-up Sat 14th 7.5h, holiday to the 23rd, Tue 24th 7.5h, Wed 25th 2.5h.
    assert working_time_between(a, b) == 23.5 * HOURS
    assert working_time_between(b, a) == -23.5 * HOURS
    assert working_time_between(a, a) == timedelta(0)
    # Night and holiday moments contribute nothing.
    assert working_time_between(at(2026, 2, 14, 18), at(2026, 2, 24, 8)) == timedelta(0)


@pytest.mark.parametrize("minutes", [0, 1, 40, 210, 450, 451, 2 * 60, 24 * 60, 200 * 60])
@pytest.mark.parametrize("start", [at(2026, 2, 14, 16, 50), at(2026, 9, 30, 12, 5)])
def test_working_time_between_inverts_add_working_time(start, minutes):
    duration = minutes * MINUTES
    assert working_time_between(start, add_working_time(start, duration)) == duration


# --- Data, not code -------------------------------------------------------------------------


def test_a_holiday_added_in_the_database_is_skipped():
    tuesday_evening = at(2027, 3, 9, 17, 0)
    assert add_working_time(tuesday_evening, HOURS) == at(2027, 3, 10, 9, 0)
    assert add_working_days(tuesday_evening, 1) == at(2027, 3, 10, 17, 30)

    CalendarDay.objects.create(date=date(2027, 3, 10), kind=DayKind.HOLIDAY, name="测试假日")

    assert add_working_time(tuesday_evening, HOURS) == at(2027, 3, 11, 9, 0)
    assert add_working_days(tuesday_evening, 1) == at(2027, 3, 11, 17, 30)


def test_a_make_up_day_and_changed_hours_in_the_database_take_effect():
    friday_evening = at(2027, 3, 12, 17, 0)
    CalendarDay.objects.create(
        date=date(2027, 3, 13), kind=DayKind.WORKDAY, name="测试调休", works_as_weekday=0
    )
    assert add_working_time(friday_evening, HOURS) == at(2027, 3, 13, 9, 0)

    WorkingPeriod.objects.filter(weekday=Weekday.MONDAY, start_time=time(8, 30)).update(
        start_time=time(9, 0)
    )
    assert add_working_time(friday_evening, HOURS) == at(2027, 3, 13, 9, 30)


def test_no_working_periods_at_all_raise_a_clear_error():
    WorkingPeriod.objects.all().delete()
    with pytest.raises(NoWorkingTimeError, match=r"工作时段|working periods"):
        add_working_time(at(2026, 3, 10, 9), HOURS)
    with pytest.raises(NoWorkingTimeError):
        add_working_days(at(2026, 3, 10, 9), 1)


def test_a_year_of_holidays_raises_instead_of_looping_for_ever():
    first = date(2030, 1, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=first + timedelta(days=n), kind=DayKind.HOLIDAY, name="测试")
        for n in range(400)
    )
    with pytest.raises(NoWorkingTimeError):
        add_working_time(at(2030, 1, 1, 9), HOURS)


def test_overlapping_periods_in_the_database_are_not_counted_twice():
    WorkingPeriod.objects.bulk_create(
        [WorkingPeriod(weekday=1, start_time=time(11), end_time=time(14))]
    )
    # Tuesday now works 08:30–17:30 without a break: 9 hours, not 10.5.
    assert working_time_between(at(2026, 3, 10), at(2026, 3, 11)) == 9 * HOURS


# --- Validation -----------------------------------------------------------------------------


def test_a_period_must_end_after_it_starts():
    period = WorkingPeriod(weekday=5, start_time=time(12), end_time=time(9))
    with pytest.raises(ValidationError) as exc:
        period.full_clean()
    assert "end_time" in exc.value.message_dict


def test_periods_of_one_weekday_may_not_overlap_but_may_touch():
    with pytest.raises(ValidationError):
        WorkingPeriod(weekday=0, start_time=time(11), end_time=time(14)).full_clean()
    WorkingPeriod(weekday=0, start_time=time(12), end_time=time(13, 30)).full_clean()
    WorkingPeriod(weekday=5, start_time=time(11), end_time=time(14)).full_clean()
    existing = WorkingPeriod.objects.get(weekday=0, start_time=time(8, 30))
    existing.end_time = time(11, 30)
    existing.full_clean()  # an existing period does not overlap itself


def test_a_make_up_day_must_work_a_weekday_that_has_hours():
    day = CalendarDay(date=date(2027, 5, 8), kind=DayKind.WORKDAY, name="测试", works_as_weekday=6)
    with pytest.raises(ValidationError) as exc:
        day.full_clean()
    assert "works_as_weekday" in exc.value.message_dict
    day.works_as_weekday = Weekday.FRIDAY
    day.full_clean()


# --- Efficiency -----------------------------------------------------------------------------


def test_a_30_day_deadline_costs_two_queries(django_assert_max_num_queries):
    start = at(2026, 1, 5, 8, 30)
    with django_assert_max_num_queries(2):
        deadline = add_working_time(start, 150 * HOURS)  # 20 working days
    assert deadline - start > timedelta(days=25)
    with django_assert_max_num_queries(2):
        assert working_time_between(start, deadline) == 150 * HOURS


def test_long_spans_cost_one_calendar_query_per_quarter(django_assert_max_num_queries):
    # 1 query for the periods, then one per WINDOW_DAYS (92) of calendar reached.
    with django_assert_max_num_queries(5):
        deadline = add_working_time(at(2026, 1, 5, 8, 30), 1500 * HOURS)  # 200 working days
    assert deadline.year == 2026 and deadline.month >= 10


def test_a_shared_calendar_serves_a_batch_of_tickets(django_assert_max_num_queries):
    received = [at(2026, 2, 1) + n * 37 * MINUTES for n in range(1000)]
    with django_assert_max_num_queries(3):
        calendar = WorkingCalendar()
        deadlines = [add_working_time(r, 2 * HOURS, calendar=calendar) for r in received]
    assert deadlines == sorted(deadlines)
    assert all(d.date() not in chinese_calendar.holidays for d in deadlines)


# --- Admin ----------------------------------------------------------------------------------


def test_admin_lists_calendar_days_by_kind_and_year(admin_client):
    url = reverse("admin:workcalendar_calendarday_changelist")
    response = admin_client.get(url, {"kind": "workday", "year": "2026"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 6
    response = admin_client.get(url, {"q": "春节", "date__year": "2025"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 8 + 2
    response = admin_client.get(reverse("admin:workcalendar_workingperiod_changelist"))
    assert response.status_code == 200
