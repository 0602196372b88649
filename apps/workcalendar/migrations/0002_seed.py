"""Seed the office's default working hours and China's 2024–2026 holidays and 调休 days.

The dates are copied from the chinesecalendar package (the State Council's annual
notices) into CalendarDay rows, so the computation never calls the package and staff add
later years in the admin. The package must hold data for every seeded year
(chinesecalendar >= 1.11 for 2026); the migration refuses to half-seed otherwise.
"""

import datetime

from django.db import migrations

SEEDED_YEARS = (2024, 2025, 2026)

# Monday to Friday 08:30–12:00 and 13:30–17:30: the office's default, editable in the admin.
DEFAULT_PERIODS = ((datetime.time(8, 30), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(17, 30)))
MONDAY_TO_FRIDAY = range(5)

# The package's Holiday enum members -> the names used in the State Council's notices.
HOLIDAY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}


def holiday_name(value):
    from chinese_calendar import Holiday

    holiday = Holiday(value)
    return HOLIDAY_NAMES.get(holiday.name, holiday.chinese)


def seed(apps, schema_editor):
    import chinese_calendar

    WorkingPeriod = apps.get_model("workcalendar", "WorkingPeriod")
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")

    for weekday in MONDAY_TO_FRIDAY:
        for start, end in DEFAULT_PERIODS:
            WorkingPeriod.objects.get_or_create(weekday=weekday, start_time=start, end_time=end)

    known_years = {day.year for day in chinese_calendar.holidays}
    missing = [year for year in SEEDED_YEARS if year not in known_years]
    if missing:
        raise RuntimeError(
            f"chinesecalendar {chinese_calendar.__version__} has no holiday data for "
            f"{missing}; upgrade it (pip install 'chinesecalendar>=1.11') and migrate again."
        )

    days = [
        CalendarDay(date=day, kind="holiday", name=holiday_name(value))
        for day, value in chinese_calendar.holidays.items()
        if day.year in SEEDED_YEARS
    ] + [
        # Make-up working days work Monday's hours, the usual full working day.
        CalendarDay(date=day, kind="workday", name=holiday_name(value), works_as_weekday=0)
        for day, value in chinese_calendar.workdays.items()
        if day.year in SEEDED_YEARS
    ]
    existing = set(CalendarDay.objects.filter(date__in=[d.date for d in days]).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(sorted((d for d in days if d.date not in existing), key=lambda d: d.date))


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    # Reversing keeps the rows: staff may have edited them; 0001's reversal drops the tables.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
