"""The meeting and action-item pages as staff and liaisons use them."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.disputes import meetings, minutes
from apps.disputes.models import (
    ActionItem,
    ActionStatus,
    JointMeeting,
    MeetingStatus,
    MinutesAttachment,
    Presence,
)


def url(name, *args):
    return reverse(f"admin:disputes_{name}", args=args)


@pytest.fixture
def meeting(region, staff_user, unit, ecology_unit):
    made = meetings.create_meeting(
        region=region,
        kind="ad_hoc",
        title="施工噪音专题会",
        starts_at=timezone.now() + timedelta(days=3),
    )
    return meetings.confirm(made, actor=staff_user)


def test_staff_create_a_meeting_that_invites_the_region(client, staff_user, region, unit):
    client.force_login(staff_user)
    response = client.post(
        url("jointmeeting_add"),
        {
            "region": region.pk,
            "kind": "regular",
            "title": "第一季度例会",
            "starts_at_0": "2027-03-19",
            "starts_at_1": "09:30",
            "place": "第三会议室",
            "organiser": "联席会议办公室",
            **{f"{p}-TOTAL_FORMS": "0" for p in ("attendance", "agenda", "attachments")},
            **{f"{p}-INITIAL_FORMS": "0" for p in ("attendance", "agenda", "attachments")},
            "action_items-TOTAL_FORMS": "0",
            "action_items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = JointMeeting.objects.get()
    assert made.number.startswith("联席会议〔2027〕") and made.quarter == 1
    assert list(made.attendance.values_list("unit_id", flat=True)) == [unit.pk]


def test_steps_are_posts_and_say_what_is_missing(client, staff_user, meeting):
    client.force_login(staff_user)
    assert client.get(url("jointmeeting_step", meeting.pk, "hold")).status_code == 405
    assert client.post(url("jointmeeting_step", meeting.pk, "hold")).status_code == 302
    response = client.post(url("jointmeeting_step", meeting.pk, "approve"), follow=True)
    page = response.content.decode()
    assert "请先填写会议纪要" in page and "请登记以下单位的出席情况" in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_a_liaison_records_the_own_units_attendance(client, liaison_user, meeting, unit):
    client.force_login(liaison_user)
    page = client.get(url("jointmeeting_change", meeting.pk)).content.decode()
    assert url("jointmeeting_attendance", meeting.pk, unit.pk) in page
    response = client.post(
        url("jointmeeting_attendance", meeting.pk, unit.pk), {"presence": Presence.ATTENDED}
    )
    assert response.status_code == 200 and "该单位由谁出席" in response.content.decode()
    response = client.post(
        url("jointmeeting_attendance", meeting.pk, unit.pk),
        {"presence": Presence.ATTENDED, "attendee": "张科长"},
    )
    assert response.status_code == 302
    assert meeting.attendance.get(unit=unit).attendee == "张科长"


def test_an_action_items_deadline_must_be_a_working_day(client, staff_user, meeting, unit):
    client.force_login(staff_user)
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7)
    form = {"owner": unit.pk, "description": "巡查方案", "due_on": saturday.isoformat()}
    response = client.post(url("jointmeeting_action", meeting.pk), form)
    assert response.status_code == 200 and "不是工作日" in response.content.decode()
    assert not ActionItem.objects.exists()
    form["due_on"] = (saturday + timedelta(days=2)).isoformat()
    assert client.post(url("jointmeeting_action", meeting.pk), form).status_code == 302
    assert ActionItem.objects.get().owner == unit


def test_the_owner_reports_progress_and_cannot_drop_it(
    client, liaison_user, meeting, unit, staff_user
):
    item = ActionItem.objects.create(
        meeting=meeting, owner=unit, description="方案", due_by=timezone.now() + timedelta(days=2)
    )
    client.force_login(liaison_user)
    change = url("actionitem_change", item.pk)
    response = client.post(change, {"status": ActionStatus.DROPPED, "update": "不办"})
    assert response.status_code == 200  # not a choice for a liaison
    response = client.post(change, {"status": ActionStatus.DONE, "update": "方案已印发"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.updated_by == liaison_user


def test_minutes_files_are_checked_and_served_only_through_the_meeting(
    client, staff_user, leader_user, meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meetings.mark_held(meeting, actor=staff_user)
    client.force_login(staff_user)
    page = client.get(url("jointmeeting_change", meeting.pk))
    form = page.context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k in form.fields},
        "starts_at_0": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
        "minutes": "纪要",
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        data.update({f"{prefix}-{k}": v for k, v in management.initial.items()})
        for n, inline_form in enumerate(formset.formset.initial_forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                data[f"{prefix}-{n}-{name}"] = getattr(value, "pk", value) or ""
    data["attachments-TOTAL_FORMS"] = "1"
    data["attachments-0-file"] = SimpleUploadedFile("纪要.exe", b"MZ not a pdf")
    response = client.post(url("jointmeeting_change", meeting.pk), data)
    assert response.status_code == 200 and "不是 JPEG" in response.content.decode()
    data["attachments-0-file"] = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")
    response = client.post(url("jointmeeting_change", meeting.pk), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    attachment = meeting.attachments.get()
    assert attachment.uploaded_by == staff_user and attachment.content_type == "application/pdf"
    client.force_login(leader_user)
    download = client.get(url("jointmeeting_attachment", meeting.pk, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_staff_remove_a_minutes_file_until_the_minutes_are_approved(
    client,
    staff_user,
    meeting,
    unit,
    ecology_unit,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    meetings.mark_held(meeting, actor=staff_user)
    wrong, kept = (
        MinutesAttachment(
            meeting=meeting, name=name, content_type="application/pdf", uploaded_by=staff_user
        )
        for name in ("错传.pdf", "纪要.pdf")
    )
    for attachment in (wrong, kept):
        attachment.file.save(attachment.name, ContentFile(b"%PDF-1.4"), save=True)
    stored = tmp_path / wrong.file.name
    client.force_login(staff_user)
    remove = url("jointmeeting_attachment_remove", meeting.pk, wrong.pk)
    page = client.get(url("jointmeeting_change", meeting.pk)).content.decode()
    assert remove in page and "删除附件“错传.pdf”？" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, follow=True)
    assert "附件“错传.pdf”已删除" in response.content.decode()
    assert list(meeting.attachments.values_list("name", flat=True)) == ["纪要.pdf"]
    assert not stored.exists() and (tmp_path / kept.file.name).exists()
    # Approved minutes are the record: their files stay, and no button is offered.
    meetings.record_minutes(meeting, minutes="纪要", actor=staff_user)
    for u in (unit, ecology_unit):
        meetings.record_attendance(
            meeting, unit=u, presence=Presence.ABSENT, absence_reason="出差", actor=staff_user
        )
    meetings.approve_minutes(meeting, actor=staff_user)
    keep = url("jointmeeting_attachment_remove", meeting.pk, kept.pk)
    assert keep not in client.get(url("jointmeeting_change", meeting.pk)).content.decode()
    assert client.post(keep).status_code == 403
    with pytest.raises(meetings.MeetingRefused):
        minutes.remove_attachment(kept, actor=staff_user)
    assert meeting.attachments.count() == 1


def test_staff_record_attendance_through_the_units_page(client, staff_user, meeting, unit):
    client.force_login(staff_user)
    page = client.get(url("jointmeeting_change", meeting.pk)).content.decode()
    assert url("jointmeeting_attendance", meeting.pk, unit.pk) in page
    assert 'name="attendance-0-presence"' not in page  # not edited around the rules
    response = client.post(
        url("jointmeeting_attendance", meeting.pk, unit.pk),
        {"presence": Presence.ABSENT},
    )
    assert response.status_code == 200 and "该单位为何缺席" in response.content.decode()


def test_a_step_page_leads_back_to_its_meeting_and_the_meeting_list(client, staff_user, meeting):
    client.force_login(staff_user)
    page = client.get(url("jointmeeting_action", meeting.pk)).content.decode()
    crumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert reverse("admin:app_list", args=["disputes"]) in crumbs
    assert url("jointmeeting_changelist") in crumbs and "联席会议" in crumbs
    assert url("jointmeeting_change", meeting.pk) in crumbs and "添加交办事项" in crumbs
