"""From returned tickets to a decision that changes the list and re-routes what waits.

Staff confirm the dispute detection proposes, put it on the Q1 regular meeting's agenda,
confirm and hold the meeting, record attendance and the decision, carry it into a new
list version and publish it, and re-route the ticket still waiting with another unit.
The lead unit's liaison reports on the meeting's action item and, once its deadline has
passed, finds the supervision notice in the inbox.
"""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.disputes import actions, detection, meetings
from apps.disputes.models import ActionItem, JurisdictionDispute, MeetingKind
from apps.disputes.workflow import DisputeStatus
from apps.diversion.services import publish
from apps.tickets import services as tickets
from apps.tickets.ingest import ingest
from apps.tickets.lifecycle import EventType
from tests.factories import (
    DiversionItemFactory,
    DiversionListFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _ticket(unit, number, item):
    (result,) = ingest(
        [
            {
                "external_id": number,
                "region": unit.region.division_code,
                "received_at": timezone.now() - timedelta(hours=3),
                "channel": "phone",
                "transfer_method": "one_key",
                "urgency": "general",
                "unit": unit.pk,
                "summary": "工地夜间施工噪音扰民",
                "caller_phone": "13812345678",
                "diversion_item": item.item_code,
            }
        ],
        platform="12345",
    )
    return result.ticket


def _pick(page, field, text):
    """Choose in one of the admin's autocomplete (select2) boxes."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_a_dispute_from_returned_tickets_to_the_list_and_the_waiting_tickets(page, screenshot):
    staff = UserFactory(username="staff", role=Role.STAFF)
    region = RegionFactory()
    housing = UnitFactory(region=region, name="市住建局")
    city = UnitFactory(region=region, name="市城管局")
    ecology = UnitFactory(region=region, name="市生态环境局")
    UserFactory(username="ecology", role=Role.LIAISON, unit=ecology)
    draft = DiversionListFactory(region=region)
    item = DiversionItemFactory(
        diversion_list=draft, item_code="H2P-007", matter="夜间施工噪音", lead_unit=housing
    )
    publish(draft, approved_by=staff, effective_from=timezone.now() - timedelta(days=30))
    for unit, number in ((housing, "GD001"), (city, "GD002")):
        ticket = _ticket(unit, number, item)
        tickets.record_event(
            ticket, EventType.RETURNED, timezone.now(), actor=staff, reason_code="not_our_duty"
        )
    waiting = _ticket(housing, "GD003", item)
    detection.detect()
    q1 = meetings.create_meeting(
        region=region,
        kind=MeetingKind.REGULAR,
        title="2027年第一季度例会",
        starts_at=timezone.make_aware(datetime(2027, 3, 19, 9, 30)),
        place="第三会议室",
    )

    login(page, "staff")
    # Detection's proposal becomes a dispute.
    page.goto(reverse("admin:disputes_disputeproposal_changelist"))
    page.check("input.action-select")
    page.select_option("select[name=action]", "confirm")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    dispute = JurisdictionDispute.objects.get()
    assert dispute.number in page.inner_text(".messagelist")

    # On the Q1 meeting's agenda; the meeting confirmed and held; attendance.
    page.goto(reverse("admin:disputes_jointmeeting_change", args=[q1.pk]))
    page.click("text=将争议列入议程")
    page.select_option("select[name=dispute]", str(dispute.pk))
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")
    page.click("button.meeting-step-confirm")
    page.wait_for_selector(".messagelist .success")
    for unit in (housing, city, ecology):
        page.goto(reverse("admin:disputes_jointmeeting_attendance", args=[q1.pk, unit.pk]))
        page.check("input[name=presence][value=attended]")
        page.fill("input[name=attendee]", f"{unit.name}分管领导")
        page.click("input.step-submit")
        page.wait_for_selector(".messagelist .success")
    page.click("button.meeting-step-hold")
    page.wait_for_selector(".messagelist .success")

    # The decision, at the meeting.
    page.goto(reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk]))
    page.click("a.dispute-move-decide")
    page.select_option("select[name=meeting]", str(q1.pk))
    _pick(page, "lead_unit", "市生态环境局")
    _pick(page, "co_units", "市住建局")
    page.fill("textarea[name=handling_norm]", "生态环境局主办，住建局协办，2小时内联系诉求人")
    page.fill("input[name=effective_date]", "2027-04-01")
    screenshot("dispute_decision_form")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")

    # An action item for the lead unit, due on a working day.
    page.goto(reverse("admin:disputes_jointmeeting_action", args=[q1.pk]))
    page.select_option("select[name=owner]", str(ecology.pk))
    page.fill("textarea[name=description]", "制定夜间施工噪音联合处置流程")
    page.fill("input[name=due_on]", "2027-03-26")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")
    screenshot("meeting_page")

    # Into a new list version, published through the lists' own workflow.
    page.goto(reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk]))
    page.click("a.dispute-draft")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")
    page.click("a.publish-button")
    page.click("input.confirm-publish")
    page.wait_for_selector(".messagelist .success")
    page.goto(reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk]))
    assert "已落实" in page.inner_text("#content")
    screenshot("dispute_page")
    dispute.refresh_from_db()
    page.click("text=打开清单版本")
    page.wait_for_url(f"**/diversionlist/{dispute.implemented_in_id}/change/")
    assert dispute.status == DisputeStatus.IMPLEMENTED and dispute.implemented_in.version == 2
    assert dispute.implemented_in.items.get(item_code="H2P-007").lead_unit == ecology

    # The waiting ticket goes to the lead unit.
    page.goto(reverse("admin:disputes_jurisdictiondispute_reroute", args=[dispute.pk]))
    assert "GD003" in page.inner_text("#content")
    screenshot("dispute_waiting_tickets")
    page.click("input.step-submit")
    page.wait_for_selector(".messagelist .success")
    waiting.refresh_from_db()
    assert waiting.unit == ecology and waiting.routing_round == 2

    # The lead unit's liaison reports on the action item, and hears when it is late.
    context = page.context
    context.clear_cookies()
    login(page, "ecology")
    action = ActionItem.objects.get()
    page.goto(reverse("admin:disputes_actionitem_changelist"))
    page.click(f"a[href*='/actionitem/{action.pk}/change/']")
    page.fill("textarea[name=update]", "流程初稿已完成，正征求住建局意见")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    action.refresh_from_db()
    assert action.update.startswith("流程初稿") and action.status == "open"
    assert actions.scan_action_items(action.due_by + timedelta(minutes=1)) >= 1
    page.goto(reverse("admin:notices_notice_changelist"))
    assert "交办事项督办" in page.inner_text("#result_list")
    screenshot("liaison_action_notice")
    assert date(2027, 3, 26) == timezone.localtime(action.due_by).date()


def test_staff_add_a_minutes_file_and_remove_the_wrong_one(page, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    staff = UserFactory(username="staff", role=Role.STAFF)
    region = RegionFactory()
    UnitFactory(region=region, name="市城管局")
    meeting = meetings.create_meeting(
        region=region, kind=MeetingKind.AD_HOC, title="占道经营专题会", starts_at=timezone.now()
    )
    meetings.mark_held(meetings.confirm(meeting, actor=staff), actor=staff)

    login(page, "staff")
    change = reverse("admin:disputes_jointmeeting_change", args=[meeting.pk])
    page.goto(change)
    page.fill("textarea[name=minutes]", "会议明确由市城管局牵头整治。")
    page.click("#attachments-group .add-row a")
    page.set_input_files(
        "input[name=attachments-0-file]",
        files=[{"name": "错传.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}],
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert "错传.pdf" in page.inner_text(".meeting-attachments")
    screenshot("meeting_minutes_files")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click(".meeting-attachments button.attachment-remove")
    page.wait_for_selector(".messagelist .success")
    assert asked == ["删除附件“错传.pdf”？"]
    assert "附件“错传.pdf”已删除" in page.inner_text(".messagelist")
    assert not page.query_selector(".meeting-attachments")
    assert not meeting.attachments.exists() and not any((tmp_path / "minutes").rglob("*.pdf"))
