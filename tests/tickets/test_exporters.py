"""Exporting tickets to Excel from the admin list."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.roles import Role
from apps.tickets import admin as ticket_admin
from apps.tickets.models import TicketExport
from tests.factories import UserFactory

CHANGELIST = "admin:tickets_ticket_changelist"


@pytest.fixture
def liaison(police):
    return UserFactory(username="police-liaison", role=Role.LIAISON, unit=police)


@pytest.fixture
def tickets(make_ticket, tier3_unit, police):
    received = timezone.now() - timedelta(hours=3)
    overdue = make_ticket(urgency="urgent", received_at=received, co_units=[tier3_unit.pk])
    other = make_ticket(unit=tier3_unit, caller_phone="13900001111")
    return overdue, other


def export(client, tickets=None, select_across=False):
    data = {"action": "export_xlsx", "select_across": "1" if select_across else "0", "index": 0}
    data["_selected_action"] = [t.pk for t in tickets or ()]
    return client.post(reverse(CHANGELIST), data)


def rows_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_staff_export_reads_in_chinese_and_masks_the_caller(client, staff_user, tickets):
    overdue, _other = tickets
    client.force_login(staff_user)
    (row,) = rows_of(export(client, [overdue]))
    assert row["平台工单编号"] == overdue.external_id
    assert row["来电号码"] == "138****5678"
    assert row["状态"] == "待签收"
    assert row["工单类别"] == "紧急"
    assert row["承办单位"] == "市公安局（南通市）"  # with its region, as everywhere
    assert row["协办单位"] == "市发改委（南通市）"
    assert row["当前超期"] == "是"
    # Local (Asia/Shanghai) wall-clock time: Excel cells carry no time zone.
    received = timezone.localtime(overdue.received_at).replace(tzinfo=None, microsecond=0)
    assert row["受理时间"].replace(microsecond=0) == received


def test_the_file_name_is_chinese_and_survives_the_header(client, staff_user, tickets):
    client.force_login(staff_user)
    disposition = export(client, tickets)["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote("工单导出-") in disposition and disposition.endswith(".xlsx")


def test_liaison_exports_only_own_units_tickets(client, liaison, tickets):
    overdue, _other = tickets
    client.force_login(liaison)
    # "Select all": the page's rows are ticked, and the action takes the whole list.
    rows = rows_of(export(client, [overdue], select_across=True))
    assert [r["平台工单编号"] for r in rows] == [overdue.external_id]


def test_too_many_tickets_go_to_a_background_export_saying_so(
    client, staff_user, tickets, monkeypatch
):
    # Over the limit a request would take too long: a worker makes the file instead
    # (tests/tickets/test_big_exports.py follows it to the download).
    monkeypatch.setattr(ticket_admin, "EXPORT_LIMIT", 1)
    client.force_login(staff_user)
    response = export(client, tickets[:1], select_across=True)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "超过 1 件工单：将在后台导出，完成后下载链接发送到您的通知。" in page
    assert TicketExport.objects.filter(requested_by=staff_user).count() == 1
