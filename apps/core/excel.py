"""The one writer of every Excel file the office downloads.

Every row goes through ``append_row``: text from people or platforms is always a text
cell, never a formula, and every sheet has the same bold, shaded, frozen header.
"""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


# A cell starting with one of these is taken by Excel and WPS as a formula (OWASP's
# "CSV injection" rule): =HYPERLINK(...) could send the sheet's data to another site.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text, whatever it starts with.

    openpyxl takes any string starting with ``=`` as a formula; the type is set back to
    text, and the quote prefix (Excel's leading apostrophe) keeps it text when someone
    edits the cell. The text itself is unchanged.
    """
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def append_row(sheet, values) -> None:
    """Append one row; numbers and dates stay numbers and dates."""
    sheet.append(
        [
            text_cell(sheet, v) if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) else v
            for v in values
        ]
    )


def start_sheet(sheet, title, headers, widths=None):
    """Title the sheet and write its header row. Works on write-only sheets (big exports
    streamed row by row) as well as ordinary ones; call it before any other row."""
    sheet.title = title
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(header, 16)
    sheet.freeze_panes = "A2"
    cells = []
    for header in headers:
        cell = text_cell(sheet, str(header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    sheet.append(cells)
    return sheet


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download; the Chinese file name is encoded so that every browser keeps it."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
