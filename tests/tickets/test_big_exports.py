"""Exports over the download limit: made by a worker from the list's own filters, masked
and safe, with progress and a download link in the requester's inbox."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.jobs import JobStatus
from apps.notices.models import Notice, NoticeKind
from apps.tickets import admin as ticket_admin
from apps.tickets import big_exports
from apps.tickets.exports_admin import listed_tickets
from apps.tickets.models import TicketExport


@pytest.fixture(autouse=True)
def small_limit(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(ticket_admin, "EXPORT_LIMIT", 2)


@pytest.fixture
def tickets(make_ticket, unit):
    return [
        make_ticket(summary='=HYPERLINK("http://x")', urgency="general"),
        make_ticket(urgency="general"),
        make_ticket(urgency="general", unit=unit),
        make_ticket(urgency="urgent"),
    ]


def export_all(client, user, query, django_capture_on_commit_callbacks):
    client.force_login(user)
    url = reverse("admin:tickets_ticket_changelist") + query
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "export_xlsx", "select_across": "1", "index": "0", "_selected_action": "0"},
        )
    return response


def test_a_big_export_is_made_in_the_background_from_the_lists_filters(
    client, tickets, staff_user, django_capture_on_commit_callbacks
):
    response = export_all(
        client, staff_user, "?urgency__exact=general", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    export = TicketExport.objects.get()
    assert export.status == JobStatus.DONE, export.error
    assert export.rows == 3 and export.progress == 100
    assert export.query == {"urgency__exact": ["general"]}

    notice = Notice.objects.get(kind=NoticeKind.EXPORT_READY)
    assert list(notice.recipients.values_list("user_id", flat=True).distinct()) == [staff_user.pk]
    download = client.get(notice.link)
    assert download.status_code == 200
    assert f'filename="tickets-{export.pk}.xlsx"' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 4  # the header and the three general tickets
    summaries = [
        r for row in rows for r in row if isinstance(r, str) and r.startswith("=HYPERLINK")
    ]
    assert summaries  # kept as text, never a formula
    assert not any("13812345678" in str(cell) for row in rows for cell in row)  # masked


def test_a_formula_stays_text_in_the_file(
    client, tickets, staff_user, django_capture_on_commit_callbacks
):
    export_all(client, staff_user, "", django_capture_on_commit_callbacks)
    export = TicketExport.objects.get()
    with export.file.open("rb") as handle:
        book = load_workbook(handle)
    cells = [
        c for row in book.active.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_liaisons_big_export_holds_only_the_own_units_tickets(
    client, tickets, liaison_user, unit, django_capture_on_commit_callbacks
):
    listed = listed_tickets(liaison_user, {})
    assert {t.unit_id for t in listed} == {unit.pk}
    export = big_exports.request_export(user=liaison_user, query={})
    assert big_exports.produce_export(export.pk, listed=listed_tickets) is True
    assert big_exports.produce_export(export.pk, listed=listed_tickets) is False  # done once
    export.refresh_from_db()
    assert export.rows == 1


def test_only_the_requester_sees_and_downloads_an_export(
    client, tickets, staff_user, leader_user, django_capture_on_commit_callbacks
):
    export_all(client, staff_user, "", django_capture_on_commit_callbacks)
    export = TicketExport.objects.get()
    client.force_login(leader_user)
    assert (
        client.get(reverse("admin:tickets_ticketexport_download", args=[export.pk])).status_code
        == 404
    )
    assert export.pk not in [
        e.pk
        for e in client.get(reverse("admin:tickets_ticketexport_changelist"))
        .context["cl"]
        .result_list
    ]


def test_a_failed_export_records_why(client, tickets, staff_user, monkeypatch):
    def broken(user, query):
        raise ValueError("no such filter")

    export = big_exports.request_export(user=staff_user, query={})
    assert big_exports.produce_export(export.pk, listed=broken) is False
    export.refresh_from_db()
    assert (
        export.status == JobStatus.FAILED and "no such filter" in export.error and not export.file
    )
