"""The meeting pack and the minutes, as files WPS and Excel open as they are."""

import io
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from apps.disputes import meetings, pack, services
from apps.disputes.models import DisputeOrigin, MeetingKind, Position, Presence


@pytest.fixture
def meeting(region, staff_user, unit, ecology_unit, liaison_user, returned_ticket, matter):
    dispute = services.raise_dispute(
        region=region,
        title='=HYPERLINK("http://evil")',  # text from people stays text
        matter="夜间施工噪音",
        origin=DisputeOrigin.STAFF,
        item=matter,
        tickets=[returned_ticket(unit)],
        units=[ecology_unit],
    )
    services.record_position(
        dispute=dispute,
        unit=unit,
        position=Position.DECLINES,
        statement="非本单位职责",
        actor=liaison_user,
    )
    services.start_consultation(dispute, actor=staff_user)
    made = meetings.create_meeting(
        region=region,
        kind=MeetingKind.REGULAR,
        title="第一季度例会",
        starts_at=timezone.now() + timedelta(days=2),
        place="第三会议室",
    )
    made = meetings.confirm(made, actor=staff_user)
    meetings.add_action_item(
        made, owner=unit, description="制定巡查方案", due_on=date(2027, 3, 22), actor=staff_user
    )
    return made


def test_the_workbook_has_every_section_and_keeps_text_as_text(meeting, unit):
    workbook = load_workbook(io.BytesIO(pack.pack_xlsx(meeting)))
    assert workbook.sheetnames == ["议程", "争议事项", "交办事项", "出席情况"]
    disputes = workbook["争议事项"]
    row = [c.value for c in disputes[2]]
    assert row[1] == '=HYPERLINK("http://evil")' and disputes["B2"].data_type == "s"
    assert "非本单位职责" in row[7] and row[4] == 1
    assert workbook["交办事项"]["C2"].value == "制定巡查方案"
    assert workbook["议程"].page_setup.orientation == "landscape"
    assert {r[0].value for r in workbook["出席情况"].iter_rows(min_row=2)} >= {unit.label}


def test_the_word_pack_and_the_minutes(meeting, staff_user, unit, ecology_unit):
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(pack.pack_docx(meeting))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "非本单位职责" in text and "制定巡查方案" in text
    meetings.mark_held(meeting, actor=staff_user, minutes="会议议定：由生态环境局主办。")
    meetings.record_attendance(
        meeting, unit=unit, presence=Presence.ATTENDED, attendee="张科长", actor=staff_user
    )
    meeting.refresh_from_db()
    minutes = Document(io.BytesIO(pack.minutes_docx(meeting)))
    body = "\n".join(p.text for p in minutes.paragraphs)
    assert "会议议定：由生态环境局主办。" in body and meeting.number in body
    cells = {c.text for t in minutes.tables for r in t.rows for c in r.cells}
    assert "张科长" in cells


def test_the_downloads(client, leader_user, meeting):
    client.force_login(leader_user)
    url = lambda kind: reverse(  # noqa: E731
        "admin:disputes_jointmeeting_pack", args=[meeting.pk, kind]
    )
    response = client.get(url("xlsx"))
    assert response.status_code == 200
    assert "联席会议" in unquote(response["Content-Disposition"])
    assert client.get(url("docx")).status_code == 200
    assert client.get(url("minutes")).status_code == 404  # not held yet
    assert client.get(url("pdf")).status_code == 404
