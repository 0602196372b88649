"""Leadership opens the dashboard, asks for a special report of a date range, waits for
it and downloads it: its totals are the dashboard's."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.reports import rollups
from apps.tickets import services
from apps.tickets.ingest import ingest
from apps.tickets.lifecycle import EventType
from tests.factories import RegionFactory, UnitFactory, UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_leadership_compares_the_dashboard_with_a_special_report(
    page, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="leader", role=Role.LEADERSHIP)
    region = RegionFactory()
    police = UnitFactory(region=region, name="市公安局", linkage_tier=1)
    today = timezone.localdate()
    first = today.replace(day=1)
    received = []
    for n in range(6):
        moment = datetime.combine(first, datetime.min.time(), tzinfo=ZoneInfo("Asia/Shanghai"))
        (result,) = ingest(
            [
                {
                    "external_id": f"GD-REPORT-{n}",
                    "region": region.division_code,
                    "received_at": min(moment + timedelta(hours=9 + n), timezone.now()),
                    "channel": "phone",
                    "transfer_method": "one_key",
                    "urgency": "general",
                    "unit": police.pk,
                    "summary": "路灯不亮",
                    "caller_phone": "13812345678",
                }
            ],
            platform="12345",
        )
        received.append(result.ticket)
    for ticket in received[:4]:
        services.record_event(ticket, EventType.SIGNED, ticket.received_at + timedelta(minutes=20))
    rollups.refresh_changed()

    login(page, "leader")
    page.click("text=数据看板")
    page.select_option("select[name=region]", str(region.pk))
    page.wait_for_selector("#trend-chart canvas")
    shown_received = page.inner_text("[data-figure=received]")
    shown_response = page.inner_text("[data-figure=response_rate]")
    assert shown_received == "6" and shown_response == "66.7%"
    screenshot("dashboard-leader")

    page.click("text=报表")
    page.click("text=生成专报")
    page.select_option("select[name=region]", str(region.pk))
    page.fill("input[name=first_day]", f"{first:%Y-%m-%d}")
    page.fill("input[name=last_day]", f"{today:%Y-%m-%d}")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.goto(reverse("admin:reports_reportrun_changelist"))
    for _attempt in range(20):
        if page.locator("a.button:has-text('下载')").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    screenshot("reports-leader")
    with page.expect_download() as download:
        page.click("a.button:has-text('下载')")
    with open(download.value.path(), "rb") as handle:  # a temporary name, no .xlsx
        book = load_workbook(handle)
    overview = {row[0]: row[1:] for row in book["总体情况"].iter_rows(values_only=True) if row[0]}
    assert str(overview["受理工单数"][0]) == shown_received
    assert f"{overview['响应率'][0] * 100:.1f}%" == shown_response
