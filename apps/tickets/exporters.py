"""Tickets as an Excel file, written row by row (openpyxl's write-only mode, with lxml)."""

import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.excel import append_row, start_sheet

from .models import Ticket

# In the admin's order of reading a ticket; every milestone beside its deadline.
FIELDS = (
    "source_platform",
    "external_id",
    "region",
    "received_at",
    "channel",
    "transfer_method",
    "urgency",
    "event_level",
    "diversion_item",
    "unit",
    "co_units",
    "summary",
    "caller_phone",
    "restriction",
    "status",
    "routing_round",
    "sign_by",
    "signed_at",
    "arrive_by",
    "arrived_at",
    "reply_by",
    "replied_at",
    "complete_by",
    "completed_at",
    "returned_at",
    "return_reason",
    "return_note",
    "rated_at",
    "rating",
    "circular_at",
)
# One download holds at most this many tickets: about 8 s and 4 MB on two cores, within a
# web request's time. Narrow the list with filters for more.
EXPORT_LIMIT = 20_000
WIDTHS = {"summary": 50, "co_units": 24, "return_note": 30}


def _cell(ticket, field, labels):
    if field.name == "caller_phone":
        return ticket.masked_caller_phone  # an export leaves the office: never the number
    if field.name == "co_units":
        return "、".join(u.label for u in ticket.co_units.all())
    if field.name == "unit":
        return ticket.unit.label  # 市公安局（南通市）: a city's export spans its counties
    if field.name == "diversion_item":
        return ticket.diversion_item.item_code if ticket.diversion_item_id else ""
    value = getattr(ticket, field.attname)
    if field.choices:
        return labels[field.name].get(value, value)
    if isinstance(value, datetime):  # Excel has no time zones: local time, as staff read it
        return timezone.localtime(value).replace(tzinfo=None)
    if field.is_relation:
        related = getattr(ticket, field.name)
        return related.name if related is not None else ""
    return value


def export_tickets(tickets) -> bytes:
    """The tickets of a queryset (already limited to what the person may see)."""
    buffer = io.BytesIO()
    write_tickets(tickets, buffer)
    return buffer.getvalue()


def write_tickets(tickets, target, *, progress=None, every=2000) -> int:
    """Write the tickets to ``target`` (a path or a file); ``progress(n)`` is told how
    many are written every ``every`` rows. Returns how many were written."""
    fields = [Ticket._meta.get_field(name) for name in FIELDS]
    headers = [str(f.verbose_name) for f in fields] + [_("Overdue now")]
    workbook = Workbook(write_only=True)
    sheet = start_sheet(
        workbook.create_sheet(),
        _("Tickets"),
        headers,
        {str(f.verbose_name): WIDTHS[f.name] for f in fields if f.name in WIDTHS},
    )
    # Choice labels translated once, not once per cell (a tenth of the time otherwise).
    labels = {f.name: {k: str(v) for k, v in f.flatchoices} for f in fields if f.choices}
    now = timezone.now()
    rows = (
        tickets.select_related("region", "unit__region", "diversion_item")
        .prefetch_related("co_units")
        .order_by("-received_at", "-id")
        .iterator(chunk_size=2000)
    )
    written = 0
    for ticket in rows:
        overdue = ticket.is_overdue(now)
        append_row(
            sheet, [_cell(ticket, f, labels) for f in fields] + [_("Yes") if overdue else ""]
        )
        written += 1
        if progress and written % every == 0:
            progress(written)
    workbook.save(target)
    return written
