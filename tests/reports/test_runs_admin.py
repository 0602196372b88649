"""The reports page: generating a special report, and what it refuses, which field, why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import ReportPolicy, ReportRun


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(client, user, region, first, last):
    client.force_login(user)
    return client.post(
        reverse("admin:reports_reportrun_add"),
        {"region": region.pk, "first_day": f"{first:%Y-%m-%d}", "last_day": f"{last:%Y-%m-%d}"},
    )


def test_a_leader_generates_a_special_report(client, region, leader_user):
    today = timezone.localdate()
    response = ask(client, leader_user, region, today - timedelta(days=6), today)
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.kind, run.revision, run.requested_by) == ("special", 1, leader_user)
    assert (run.last_day - run.first_day).days == 6


@pytest.mark.parametrize(
    ("first", "last", "error"),
    [
        (5, 10, "截止日早于起始日。"),
        (0, -1, "截止日不能晚于今天。"),
        (400, 0, "专报最长覆盖 366 天。"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(client, region, staff_user, first, last, error):
    today = timezone.localdate()
    response = ask(
        client, staff_user, region, today - timedelta(days=first), today - timedelta(days=last)
    )
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors["last_day"][0]
    assert not ReportRun.objects.exists()


def test_the_longest_period_is_the_report_settings(client, region, staff_user):
    ReportPolicy.objects.filter(pk=1).update(longest_period_days=7)
    today = timezone.localdate()
    response = ask(client, staff_user, region, today - timedelta(days=7), today)
    assert "专报最长覆盖 7 天。" in response.context["adminform"].form.errors["last_day"][0]
