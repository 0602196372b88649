"""The look every Excel file the office downloads shares: a bold, shaded, frozen header."""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def start_sheet(sheet, title, headers, widths=None):
    """Title the sheet and write its header row. Works on write-only sheets (big exports
    streamed row by row) as well as ordinary ones; call it before any other row."""
    sheet.title = title
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(header, 16)
    sheet.freeze_panes = "A2"
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
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
