"""The meeting pack — one download for the meeting: the agenda, each dispute with its
evidence figures, positions and proposed decision, the open action items, attendance —
as an Excel workbook and as a Word document; and the minutes as a Word document.

Both are built from ``meeting_pack`` so they say the same thing. Text from people goes
into the workbook through ``core.excel`` (never a formula); python-docx writes plain
runs, which Word and WPS never evaluate.
"""

import io

from django.db.models import Q
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from openpyxl import Workbook

from apps.core.excel import append_row, start_sheet, workbook_bytes
from apps.core.timestamps import local_minute

from . import selectors
from .models import ActionItem, ActionStatus, JointMeeting


def meeting_pack(meeting: JointMeeting) -> dict:
    """Everything the pack shows, as rows of text and numbers."""
    agenda = list(meeting.agenda.select_related("dispute"))
    disputes = []
    for item in agenda:
        if item.dispute_id is None:
            continue
        dispute = item.dispute
        summary = selectors.evidence_summary(dispute)
        positions = [
            f"{p.unit.label}：{p.get_position_display()} {p.statement}".strip()
            for p in dispute.parties.select_related("unit__region")
        ]
        decision = (
            f"{dispute.lead_unit.label}主办；{dispute.handling_norm}"
            if dispute.lead_unit_id
            else _("To be decided at the meeting")
        )
        disputes.append(
            {
                "number": dispute.number,
                "title": dispute.title,
                "matter": dispute.matter,
                "status": dispute.get_status_display(),
                "tickets": summary["tickets"],
                "per_unit": "；".join(f"{u} {h}/{r}" for u, h, r in summary["per_unit"]),
                "reasons": "；".join(f"{r} {n}" for r, n in summary["reasons"]),
                "positions": "\n".join(positions),
                "decision": decision,
            }
        )
    actions = [
        {
            "meeting": a.meeting.number,
            "owner": a.owner.label,
            "description": a.description,
            "due_by": local_minute(a.due_by),
            "status": _("Overdue") if a.is_overdue() else a.get_status_display(),
            "update": a.update,
        }
        # The region's open items, and everything this meeting asked for.
        for a in ActionItem.objects.filter(
            Q(meeting__region=meeting.region, status=ActionStatus.OPEN) | Q(meeting=meeting)
        )
        .select_related("meeting", "owner__region")
        .order_by("due_by", "id")
    ]
    return {
        "meeting": meeting,
        "when": local_minute(meeting.starts_at),
        "agenda": [(n, item.title, item.outcome) for n, item in enumerate(agenda, start=1)],
        "disputes": disputes,
        "actions": actions,
        "attendance": [
            (a.unit.label, a.get_presence_display(), a.attendee, a.absence_reason)
            for a in meeting.attendance.select_related("unit__region")
        ],
    }


def _action_rows(pack):
    for a in pack["actions"]:
        yield [a["meeting"], a["owner"], a["description"], a["due_by"], a["status"], a["update"]]


def _sections(pack):
    """(sheet/heading title, headers, rows) of the pack, in order."""
    return [
        (_("Agenda"), [_("No."), _("Item"), _("Outcome")], pack["agenda"]),
        (
            _("Disputes"),
            [
                _("Number"),
                _("Title"),
                _("Matter"),
                _("Status"),
                _("Evidence tickets"),
                _("Per unit (held/returned)"),
                _("Reasons for returning"),
                _("Positions"),
                _("Proposed decision"),
            ],
            [list(d.values()) for d in pack["disputes"]],
        ),
        (
            _("Action items"),
            [_("Meeting"), _("Owner unit"), _("To do"), _("Deadline"), _("Status"), _("Update")],
            list(_action_rows(pack)),
        ),
        (
            _("Attendance"),
            [_("Unit"), _("Attendance"), _("Who came"), _("Reason for absence")],
            pack["attendance"],
        ),
    ]


def pack_xlsx(meeting: JointMeeting) -> bytes:
    pack = meeting_pack(meeting)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in _sections(pack):
        sheet = workbook.create_sheet()
        start_sheet(sheet, title, headers, widths={h: 24 for h in headers})
        for row in rows:
            append_row(sheet, row)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "1:1"
    return workbook_bytes(workbook)


def _document(meeting, heading):
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    document.add_heading(f"{meeting.number} {meeting.title}", level=1)
    document.add_paragraph(heading)
    document.add_paragraph(
        _(
            "%(when)s, %(place)s. Convener: %(convener)s. Deputy conveners: %(deputies)s. "
            "Organised by: %(office)s."
        )
        % {
            "when": local_minute(meeting.starts_at),
            "place": meeting.place or "—",
            "convener": meeting.convener or "—",
            "deputies": meeting.deputy_conveners or "—",
            "office": meeting.organiser,
        }
    )
    return document


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pack_docx(meeting: JointMeeting) -> bytes:
    pack = meeting_pack(meeting)
    document = _document(meeting, _("Meeting pack"))
    for title, headers, rows in _sections(pack):
        document.add_heading(title, level=2)
        _table(document, headers, rows)
    return _docx_bytes(document)


def minutes_docx(meeting: JointMeeting) -> bytes:
    """The minutes after the meeting: who came, what each item concluded, the minutes'
    text and the action items it left."""
    pack = meeting_pack(meeting)
    document = _document(meeting, _("Meeting minutes"))
    sections = {title: (headers, rows) for title, headers, rows in _sections(pack)}
    document.add_heading(_("Attendance"), level=2)
    _table(document, *sections[_("Attendance")])
    document.add_heading(_("Agenda"), level=2)
    _table(document, *sections[_("Agenda")])
    document.add_heading(_("Meeting minutes"), level=2)
    for paragraph in (meeting.minutes or "—").splitlines():
        document.add_paragraph(paragraph)
    document.add_heading(_("Action items"), level=2)
    own = [
        row
        for row, a in zip(_action_rows(pack), pack["actions"], strict=True)
        if a["meeting"] == meeting.number
    ]
    _table(document, sections[_("Action items")][0], own)
    return _docx_bytes(document)
