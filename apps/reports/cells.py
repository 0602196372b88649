"""The cells and sheets of the report workbook: every value in its format, every sheet
printable (A4 landscape, the header repeated), every row through ``core.excel``."""

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from apps.core.excel import start_sheet

from . import figures

PERCENT, SCORE_FORMAT, MOMENT, DAY = "0.0%", "0.00", "yyyy-mm-dd hh:mm", "yyyy-mm-dd"
CHANGE = "+0.0%;-0.0%;0.0%"


def formatted(sheet, value, number_format):
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def figure_cell(sheet, figure, value):
    """A figure's value in its own format; "—" where it has none."""
    if value is None:
        return "—"
    if figure.kind == figures.RATE:
        return formatted(sheet, float(value), PERCENT)
    if figure.kind == figures.SCORE:
        return formatted(sheet, float(value), SCORE_FORMAT)
    return value


def change_cell(sheet, value):
    return "—" if value is None else formatted(sheet, float(value), CHANGE)


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def print_setup(sheet):
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def new_sheet(book, title, headers, widths=None):
    sheet = book.create_sheet()
    start_sheet(sheet, title, headers, widths)
    print_setup(sheet)
    return sheet
