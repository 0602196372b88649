"""Excel files staff exchange: a list version, a blank template, and a diff for the meeting."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from apps.core.excel import append_row, start_sheet, workbook_bytes

from .importers import COLUMNS, DIRECTION_LABELS
from .models import DiversionList
from .snapshots import snapshot_items

WIDTHS = {
    "事项编码": 11,
    "方向": 14,
    "类别": 16,
    "细类": 18,
    "事项": 60,
    "主办单位": 18,
    "协办单位": 22,
    "引导热线": 12,
    "关键词": 18,
    "备注": 30,
}


def _sheet(workbook, title, headers, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    return start_sheet(sheet, title, headers, WIDTHS)


def _row(snapshot):
    return [
        snapshot.item_code,
        DIRECTION_LABELS[snapshot.direction],
        snapshot.category,
        snapshot.subcategory,
        snapshot.matter,
        snapshot.lead_unit,
        snapshot.co_units,
        snapshot.guidance_hotlines,
        snapshot.keywords,
        snapshot.notes,
    ]


def export_list(diversion_list: DiversionList) -> bytes:
    workbook = Workbook()
    sheet = _sheet(workbook, _("Items"), COLUMNS, first=True)
    items = diversion_list.items.select_related("lead_unit").prefetch_related("co_units")
    for snapshot in snapshot_items(items.order_by("order", "id")).values():
        append_row(sheet, _row(snapshot))
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    about = workbook.create_sheet(_("About"))
    for line in (
        (_("Region"), diversion_list.region.name, diversion_list.region.division_code),
        (_("Title"), diversion_list.title),
        (_("Issuing document number"), diversion_list.document_number),
        (_("Version"), diversion_list.version, diversion_list.get_status_display()),
    ):
        append_row(about, list(line))
    return workbook_bytes(workbook)


def export_template() -> bytes:
    workbook = Workbook()
    _sheet(workbook, _("Items"), COLUMNS, first=True)
    help_sheet = workbook.create_sheet(_("How to fill in"))
    append_row(help_sheet, [_("Column"), _("Meaning")])
    for column, meaning in (
        ("事项编码", _("Stable code of the item (e.g. H2P-011); leave empty for a new item")),
        ("方向", "、".join(DIRECTION_LABELS.values())),
        ("类别", _("Category, required")),
        ("细类", _("Subcategory, optional")),
        ("事项", _("The matter, required; unique within a direction")),
        ("主办单位", _("Lead unit, exactly as named in the unit directory")),
        ("协办单位", _("Other responsible units, separated by 、")),
        ("引导热线", _("Hotline numbers to guide the caller to, separated by 、")),
        ("关键词", _("Words callers use, separated by 、")),
        ("备注", _("Notes")),
    ):
        append_row(help_sheet, [column, meaning])
    help_sheet.column_dimensions["B"].width = 70
    return workbook_bytes(workbook)


def export_diff(before: DiversionList, after: DiversionList, diff) -> bytes:
    workbook = Workbook()
    headers = [
        _("Change"),
        "事项编码",
        "方向",
        "类别",
        "细类",
        "事项",
        _("Field"),
        _("Before"),
        _("After"),
    ]
    sheet = _sheet(workbook, _("Changes"), headers, first=True)
    for snapshot in diff.added:
        append_row(sheet, [_("Added"), *_row(snapshot)[:5], "", "", ""])
    for snapshot in diff.removed:
        append_row(sheet, [_("Removed"), *_row(snapshot)[:5], "", "", ""])
    for change in diff.changed:
        for label, old, new in change.fields:
            append_row(sheet, [_("Changed"), *_row(change.after)[:5], str(label), old, new])
    about = workbook.create_sheet(_("About"))
    append_row(about, [_("From"), str(before)])
    append_row(about, [_("To"), str(after)])
    return workbook_bytes(workbook)
