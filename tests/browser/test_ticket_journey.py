"""An overdue urgent ticket: staff see it, the unit's liaison signs it and acknowledges the
supervision notice, staff see the acknowledgement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.tickets import supervision
from apps.tickets.ingest import ingest
from apps.tickets.models import NoticeLevel, SupervisionNotice
from tests.factories import RegionFactory, UnitFactory, UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_overdue_ticket_signed_and_notice_acknowledged(page, screenshot):
    region = RegionFactory()
    police = UnitFactory(region=region, name="市公安局", linkage_tier=1)
    UserFactory(username="staff", role=Role.STAFF)
    UserFactory(username="police", role=Role.LIAISON, unit=police)
    (result,) = ingest(
        [
            {
                "external_id": "GD20261122001",
                "region": region.division_code,
                "received_at": timezone.now() - timedelta(hours=1),
                "channel": "phone",
                "transfer_method": "one_key",
                "urgency": "urgent",
                "unit": police.pk,
                "summary": "小区门口有人打架",
                "caller_phone": "13812345678",
                "needs_on_site": None,
                "restriction": "",
            }
        ],
        platform="12345",
    )
    ticket = result.ticket
    supervision.scan_overdue()
    notice = SupervisionNotice.objects.get(
        ticket=ticket, milestone="sign", level=NoticeLevel.NOTICE
    )

    login(page, "staff")
    page.goto(reverse("admin:tickets_ticket_changelist"))
    row = page.locator("#result_list tbody tr", has_text="GD20261122001")
    assert row.locator(".overdue").is_visible()
    screenshot("staff_sees_overdue_ticket")

    page.context.clear_cookies()
    login(page, "police")
    page.goto(reverse("admin:tickets_supervisionnotice_changelist"))
    page.click(f"text={notice.number}")
    page.click("text=查看工单")
    page.click("button.ticket-action-sign")
    page.wait_for_selector(".messagelist .success")
    assert "签收" in page.inner_text(".messagelist")
    page.goto(reverse("admin:tickets_supervisionnotice_change", args=[notice.pk]))
    page.click("button.acknowledge-button")
    page.wait_for_selector(".messagelist .success")
    screenshot("liaison_acknowledged_notice")

    page.context.clear_cookies()
    login(page, "staff")
    page.goto(reverse("admin:tickets_supervisionnotice_changelist") + "?acknowledged=yes")
    acknowledged = page.locator("#result_list tbody tr", has_text=notice.number)
    assert acknowledged.count() == 1
    assert "未确认" not in acknowledged.inner_text()
    ticket.refresh_from_db()
    notice.refresh_from_db()
    notice.notice.refresh_from_db()
    assert ticket.status == "signed" and notice.notice.acknowledged_at and notice.notice.read_at
    screenshot("staff_sees_acknowledgement")
