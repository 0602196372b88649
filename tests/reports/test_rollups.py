"""The daily rollups: each ticket counted on the day it was received (Asia/Shanghai),
under its unit, with what has happened to it since, and kept current by the refresh."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.reports import rollups
from apps.reports.models import DailyRollup, OnTimeRule, RollupState
from apps.reports.selectors import grouped, period_rollups, scheme_for, totals
from apps.tickets import services
from tests.factories import AssessmentSchemeFactory, RegionFactory, UnitFactory

from .conftest import DAY, SHANGHAI, E, local


def rows(region, first, last=None, **filters):
    return totals(period_rollups(region=region, first=first, last=last or first, **filters))


def test_each_ticket_counts_on_its_local_received_day_under_its_unit(
    week, region, police, other_unit
):
    rollups.rebuild(DAY - timedelta(days=1), DAY + timedelta(days=2))

    mine = rows(region, DAY, unit=police)
    assert mine["received"] == 2  # a and b; c is now the other unit's
    assert (mine["sign_due"], mine["signed_on_time"]) == (2, 1)
    assert (mine["complete_due"], mine["completed"], mine["completed_on_time"]) == (2, 2, 1)
    assert (mine["satisfied"], mine["basically_satisfied"], mine["dissatisfied"]) == (1, 1, 0)
    assert mine["late"] == 1  # b
    assert mine["overdue_now"] == 0
    assert mine["returned"] == 1  # c, counted against the unit that returned it
    assert mine["restricted"] == 0

    theirs = rows(region, DAY, unit=other_unit)
    assert theirs["received"] == 1 and theirs["restricted"] == 1 and theirs["rerouted"] == 1
    assert (theirs["sign_due"], theirs["signed_on_time"], theirs["returned"]) == (1, 1, 0)
    assert (theirs["completed_on_time"], theirs["late"]) == (1, 0)

    next_day = rows(region, DAY + timedelta(days=1))
    assert next_day["received"] == 1  # d: 00:10 in Shanghai, though the 10th in UTC
    assert next_day["late"] == 1 and next_day["overdue_now"] == 1
    assert (next_day["notices"], next_day["notices_acknowledged"]) == (1, 1)

    assert rows(region, DAY - timedelta(days=1))["received"] == 0
    assert rows(region, DAY - timedelta(days=1), DAY + timedelta(days=2))["received"] == 4


def test_the_scheme_grace_counts_a_step_just_after_its_deadline_as_on_time(week, region, police):
    scheme_for(DAY).on_time_rules.filter(milestone="sign").update(grace_minutes=5)
    rollups.rebuild(DAY, DAY)
    mine = rows(region, DAY, unit=police)
    # b signed a minute late: on time within the grace; completing has none
    assert (mine["signed_on_time"], mine["completed_on_time"]) == (2, 1)
    assert mine["late"] == 1  # supervision goes by the deadline itself


def test_each_day_counts_under_the_grace_of_the_scheme_in_force_on_it(
    week, region, police, make_ticket
):
    next_day = DAY + timedelta(days=1)
    later = AssessmentSchemeFactory(effective_from=next_day)
    OnTimeRule.objects.create(scheme=later, milestone="sign", grace_minutes=5)
    e = make_ticket(received_at=local(next_day, 9))
    services.record_event(e, E.SIGNED, e.sign_by + timedelta(minutes=1))

    rollups.rebuild(DAY, next_day)
    assert rows(region, DAY, unit=police)["signed_on_time"] == 1  # b, without a grace
    assert rows(region, next_day, unit=police)["signed_on_time"] == 1  # e, within it; not d


def test_days_before_the_first_scheme_count_under_its_grace(region, police, make_ticket):
    first = scheme_for(DAY)  # the seeded scheme, in force from 2026-01-01
    first.on_time_rules.filter(milestone="sign").update(grace_minutes=5)
    earlier = first.effective_from - timedelta(days=3)
    e = make_ticket(received_at=local(earlier, 9))
    services.record_event(e, E.SIGNED, e.sign_by + timedelta(minutes=1))
    rollups.rebuild(earlier, first.effective_from)
    assert rows(region, earlier, unit=police)["signed_on_time"] == 1


def test_a_ticket_completed_without_a_reply_is_not_late_for_the_reply(week, region, police):
    rollups.rebuild(DAY, DAY)
    a = week["a"]
    a.refresh_from_db()
    assert a.reply_by is not None and a.replied_at is None
    mine = rows(region, DAY, unit=police)
    assert mine["reply_due"] == 2 and mine["replied_on_time"] == 1  # a, by completing


def test_rebuilding_twice_gives_the_same_rows(week, region):
    rollups.rebuild(DAY, DAY + timedelta(days=1))
    first = list(DailyRollup.objects.order_by("pk").values(*rollups.KEY, "received", "late"))
    rollups.rebuild(DAY, DAY + timedelta(days=1))
    again = list(DailyRollup.objects.order_by("pk").values(*rollups.KEY, "received", "late"))
    assert sorted(map(repr, first)) == sorted(map(repr, again))
    assert len(again) == 3  # police DAY, other unit DAY, police DAY+1


def test_a_rating_a_week_later_updates_that_day_on_the_next_refresh(make_ticket, region):
    old = make_ticket(received_at=local(DAY, 9))
    services.record_event(old, E.SIGNED, local(DAY, 9, 5))
    services.record_event(old, E.COMPLETED, local(DAY, 12))
    rollups.refresh_changed()  # the first refresh builds every day with tickets
    assert rows(region, DAY)["received"] == 1 and rows(region, DAY)["dissatisfied"] == 0

    services.record_event(old, E.RATED, local(DAY + timedelta(days=7), 10), rating="dissatisfied")
    assert rows(region, DAY)["dissatisfied"] == 0  # not until the refresh
    rollups.refresh_changed()
    assert rows(region, DAY)["dissatisfied"] == 1
    assert RollupState.current().refreshed_up_to is not None


def test_refresh_rebuilds_only_the_days_that_changed(make_ticket, region):
    make_ticket(received_at=local(DAY, 9))
    quiet = make_ticket(received_at=local(DAY - timedelta(days=3), 9))
    # Recorded long before the refresh's look-back (its overlap with the last one).
    quiet.events.update(recorded_at=timezone.now() - rollups.OVERLAP * 3)
    rollups.refresh_changed()
    DailyRollup.objects.filter(day=quiet.received_at.astimezone(SHANGHAI).date()).update(
        received=99
    )
    make_ticket(received_at=local(DAY, 11))
    rollups.refresh_changed()
    assert rows(region, DAY)["received"] == 2
    assert rows(region, DAY - timedelta(days=3))["received"] == 99  # untouched


def test_grouped_sums_per_unit_over_a_city_and_its_counties(
    week, make_ticket, region, police, other_unit
):
    county = RegionFactory(name="海门区", division_code="320614", level="district", parent=region)
    county_police = UnitFactory(region=county, name="海门区公安分局", linkage_tier=1)
    make_ticket(received_at=local(DAY, 15), region=county.division_code, unit=county_police)
    rollups.rebuild(DAY, DAY + timedelta(days=1))

    city = period_rollups(region=region, first=DAY, last=DAY + timedelta(days=1))
    per_unit = {r["unit_id"]: r["received"] for r in grouped(city, "unit_id")}
    assert per_unit == {police.pk: 3, other_unit.pk: 1, county_police.pk: 1}
    assert rows(county, DAY)["received"] == 1  # the county alone


def test_the_command_rebuilds_a_range_and_refuses_a_bad_date(week, region, capsys):
    call_command("rebuild_rollups", "--from", "2026-11-10", "--to", "2026-11-11")
    assert rows(region, DAY, DAY + timedelta(days=1))["received"] == 4
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rebuild_rollups", "--from", "2026-13-01")
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--from", "2026-11-12", "--to", "2026-11-10")


def test_the_refresh_task_is_on_the_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="apps.reports.tasks.refresh_rollups")
    assert task.enabled and task.interval.every == 10
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


def test_a_deadline_over_a_holiday_counts_on_the_working_calendar(make_ticket, region):
    """An office-hours unit's ticket of 30 September, 16:00: its two working hours to sign
    run over the National Day holiday to 8 October, 09:00 (the calendar's 2026 holidays),
    so signing at 08:50 on the 8th is on time; in the September figures."""
    office = UnitFactory(region=region, name="市民政局", linkage_tier=3)
    ticket = make_ticket(received_at=local(date(2026, 9, 30), 16), unit=office)
    assert ticket.sign_by == local(date(2026, 10, 8), 9)
    services.record_event(ticket, E.SIGNED, local(date(2026, 10, 8), 8, 50))
    rollups.rebuild(date(2026, 9, 1), date(2026, 9, 30))
    september = rows(region, date(2026, 9, 1), date(2026, 9, 30), unit=office)
    assert (september["sign_due"], september["signed_on_time"]) == (1, 1)
