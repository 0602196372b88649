"""The dashboard: the rollups' figures for a region and period, the same as the workbook's,
each linking to the tickets behind it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reports import rollups, runs
from apps.reports.dashboard import dashboard_period, valid_period_choice
from apps.reports.periods import Period
from apps.tickets.models import Ticket

from .conftest import DAY
from .test_runs import NOVEMBER, by_first_cell, sheet_rows

NOVEMBER_PICK = f"{DAY:%Y-%m}"  # the week's month, as a link names it


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def headline(page, key):
    match = re.search(rf'data-figure="{key}">([^<]+)<', page)
    return match.group(1) if match else None


def test_the_dashboard_shows_last_months_figures_as_the_workbook_does(
    client, week, region, leader_user, staff_user, django_capture_on_commit_callbacks
):
    rollups.refresh_changed()
    client.force_login(leader_user)
    url = reverse("admin:reports_reportrun_dashboard")
    page = client.get(url, {"region": region.pk, "period": NOVEMBER_PICK}).content.decode()
    assert headline(page, "received") == "4"
    assert headline(page, "completed") == "3"
    assert headline(page, "late") == "2"
    assert headline(page, "response_rate") == "50.0%"  # a and c of the four
    assert headline(page, "satisfaction_rate") == "95.0%"

    with django_capture_on_commit_callbacks(execute=True):
        run = runs.request_run(period=NOVEMBER, region=region, requested_by=staff_user)
    run.refresh_from_db()
    overview = by_first_cell(sheet_rows(run, "总体情况"))
    assert overview["受理工单数"][0] == 4 and overview["超期工单数"][0] == 2
    assert overview["响应率"][0] == 0.5 and overview["满意率"][0] == pytest.approx(0.95)


def test_each_figure_links_to_the_tickets_behind_it(client, week, region, police, staff_user):
    rollups.refresh_changed()
    client.force_login(staff_user)
    page = client.get(
        reverse("admin:reports_reportrun_dashboard"), {"region": region.pk, "period": NOVEMBER_PICK}
    ).content.decode()
    late_link = re.search(r'href="([^"]*overdue=late[^"]*)"', page).group(1).replace("&amp;", "&")
    listed = client.get(late_link)
    assert listed.status_code == 200
    shown = {t.external_id for t in listed.context["cl"].result_list}
    assert shown == {week["b"].external_id, week["d"].external_id}
    everything = re.search(r'href="([^"]*received=2026-11-01~2026-11-30[^"]*)"', page).group(1)
    listed = client.get(everything.replace("&amp;", "&"))
    assert listed.context["cl"].result_count == Ticket.objects.count() == 4
    police_row = re.search(rf'href="([^"]*unit__id__exact={police.pk}[^"]*)"', page).group(1)
    listed = client.get(police_row.replace("&amp;", "&"))
    assert {t.external_id for t in listed.context["cl"].result_list} == {
        week[k].external_id for k in "abd"
    }


def test_a_malformed_period_in_a_link_is_a_clear_refusal_not_an_error(client, staff_user):
    client.force_login(staff_user)
    tickets = reverse("admin:tickets_ticket_changelist")
    for bad in ("received=2026-13-01~2026-11-30", "within=abc", "received=x"):
        response = client.get(f"{tickets}?{bad}")
        assert response.status_code in (200, 302), bad
        if response.status_code == 302:
            assert "e=1" in response["Location"]


def test_an_unknown_period_or_region_falls_back_to_this_month(client, week, region, staff_user):
    rollups.refresh_changed()
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:reports_reportrun_dashboard"), {"region": "x", "period": "forever"}
    )
    assert response.status_code == 200
    assert response.context["period"] == dashboard_period("month", timezone.localdate())
    assert response.context["region"] == region  # the only region with figures
    for bad in ("2026-13", "1999-01", "2026-1"):
        assert not valid_period_choice(bad)


def test_the_period_pickers(db):
    today = timezone.localdate().replace(year=2026, month=12, day=2)
    assert dashboard_period("month", today) == Period("monthly", today.replace(day=1), today)
    assert dashboard_period("quarter", today).first == today.replace(month=10, day=1)
    assert dashboard_period("last_month", today).first == today.replace(month=11, day=1)
    assert dashboard_period("last_quarter", today).last == today.replace(month=9, day=30)
    assert dashboard_period("2026-11", today).last == today.replace(month=11, day=30)


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, week, region, staff_user, django_assert_max_num_queries
):
    rollups.refresh_changed()
    client.force_login(staff_user)
    url = reverse("admin:reports_reportrun_dashboard")
    with django_assert_max_num_queries(40):
        client.get(url, {"region": region.pk, "period": NOVEMBER_PICK})
