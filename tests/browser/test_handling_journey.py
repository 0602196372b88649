"""A unit's day on its tickets, and staff's own notice after the scan's.

The liaison replies to one ticket with a handling result and a photo and returns a
mis-routed one; staff send a supervision notice with their own text to a ticket the scan
has already noticed; the liaison reads that text in the inbox.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.notices.models import Notice
from apps.tickets import supervision
from apps.tickets.ingest import ingest
from apps.tickets.models import SupervisionNotice
from tests.factories import RegionFactory, UnitFactory, UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _ticket(unit, external_id, hours_ago, summary):
    (result,) = ingest(
        [
            {
                "external_id": external_id,
                "region": unit.region.division_code,
                "received_at": timezone.now() - timedelta(hours=hours_ago),
                "channel": "phone",
                "transfer_method": "one_key",
                "urgency": "general",
                "unit": unit.pk,
                "summary": summary,
                "caller_phone": "13812345678",
                "needs_on_site": False,
                "restriction": "",
            }
        ],
        platform="12345",
    )
    return result.ticket


def test_liaison_replies_with_a_photo_and_returns_a_misrouted_ticket(
    page, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    region = RegionFactory()
    city = UnitFactory(region=region, name="市城管局")
    UserFactory(username="city", role=Role.LIAISON, unit=city)
    lamp = _ticket(city, "GD20261202001", 1, "人民路路灯晚上不亮")
    misrouted = _ticket(city, "GD20261202002", 1, "邻居家的狗半夜一直叫")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)

    login(page, "city")
    page.goto(reverse("admin:tickets_ticket_change", args=[lamp.pk]))
    page.click("button.ticket-action-sign")
    page.wait_for_selector(".messagelist .success")
    page.click("a.ticket-action-reply")
    page.fill("textarea[name=result]", "已派员检修，路灯恢复照明")
    page.set_input_files("input[name=files]", str(photo))
    screenshot("liaison_reply_form")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")
    assert "现场.png" in page.inner_text(".ticket-attachments")

    page.goto(reverse("admin:tickets_ticket_change", args=[misrouted.pk]))
    page.click("a.ticket-action-return")
    page.select_option("select[name=reason_code]", "not_our_duty")
    page.fill("textarea[name=reason_text]", "犬只扰民属公安机关职责，请转派")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")

    lamp.refresh_from_db()
    misrouted.refresh_from_db()
    reply = lamp.events.get(type="replied")
    assert lamp.status == "replied" and reply.data["result"] == "已派员检修，路灯恢复照明"
    assert [a.name for a in reply.attachments.all()] == ["现场.png"]
    assert misrouted.status == "returned" and misrouted.return_reason == "not_our_duty"
    page.goto(reverse("admin:tickets_ticket_history", args=[misrouted.pk]))
    assert "犬只扰民属公安机关职责" in page.inner_text("#content")
    screenshot("liaison_returned_timeline")


def test_staff_send_their_own_notice_after_the_scan_and_the_liaison_reads_it(page, screenshot):
    region = RegionFactory()
    police = UnitFactory(region=region, name="市公安局", linkage_tier=1)
    UserFactory(username="staff", role=Role.STAFF)
    UserFactory(username="police", role=Role.LIAISON, unit=police)
    ticket = _ticket(police, "GD20261202003", 5, "商铺门口有人长时间占道")
    supervision.scan_overdue()
    automatic = SupervisionNotice.objects.filter(ticket=ticket).count()
    assert automatic >= 1

    login(page, "staff")
    page.goto(reverse("admin:tickets_ticket_changelist"))
    page.check(f"input[name=_selected_action][value='{ticket.pk}']")
    page.select_option("select[name=action]", "send_supervision_notice")
    page.click("button[name=index]")
    page.fill("textarea[name=text]", "请今天下班前联系来电人并反馈处置情况")
    page.click("input[type=submit].default")
    page.wait_for_selector(".messagelist .success")
    assert SupervisionNotice.objects.filter(ticket=ticket).count() == automatic + 1
    manual = SupervisionNotice.objects.filter(ticket=ticket).latest("pk")

    page.context.clear_cookies()
    login(page, "police")
    page.goto(reverse("admin:notices_notice_changelist"))
    page.click(f"text={manual.number}")
    body = page.inner_text("#content")
    assert "请今天下班前联系来电人并反馈处置情况" in body and ticket.external_id in body
    screenshot("liaison_reads_manual_notice")
    assert Notice.objects.get(pk=manual.notice_id).read_at is not None  # opened is read
    page.click("button.acknowledge-button")
    page.wait_for_selector(".messagelist .success")
    assert Notice.objects.get(pk=manual.notice_id).acknowledged_at is not None
