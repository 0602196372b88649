"""Import a diversion list from .xlsx/.csv into a draft: preview first, then all or nothing.

The layout is the one ``exporters.export_list`` writes, so an export imports back to the
same items.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.tabular import ImportRejected, RowError, read_table
from apps.directory.models import Unit
from apps.directory.validators import split_numbers

from .models import (
    DIRECTION_CODE_PREFIX,
    Direction,
    DiversionItem,
    DiversionList,
    format_item_code,
    highest_code_numbers,
)
from .snapshots import ItemSnapshot, diff_snapshots, snapshot_items

COLUMNS = [
    "事项编码",
    "方向",
    "类别",
    "细类",
    "事项",
    "主办单位",
    "协办单位",
    "引导热线",
    "关键词",
    "备注",
]
REQUIRED = ["方向", "类别", "事项"]

# What staff may write in 方向: the Chinese label used in the seed documents, or the code.
DIRECTION_WORDS = {
    "12345转110": Direction.HOTLINE_TO_POLICE,
    "110转12345": Direction.POLICE_TO_HOTLINE,
    "引导至其他热线": Direction.TO_OTHER_HOTLINE,
    "引导至企业": Direction.TO_ENTERPRISE,
    **{d.value: d for d in Direction},
}
DIRECTION_LABELS = {d: word for word, d in list(DIRECTION_WORDS.items())[:4]}
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


@dataclass
class ParsedRow:
    row: int
    snapshot: ItemSnapshot
    lead_unit: Unit | None
    co_units: list


@dataclass
class ImportPreview:
    rows: list
    diff: object  # snapshots.ItemDiff

    @property
    def counts(self):
        return {
            "added": len(self.diff.added),
            "changed": len(self.diff.changed),
            "removed": len(self.diff.removed),
        }


def _units_by_name(region):
    """Unit names a list may reference: the region's own first, then its ancestors'."""
    names = {}
    for level in reversed(region.lineage()):
        names.update({u.name: u for u in Unit.objects.filter(region=level)})
    return names


def _assign_codes(rows, taken):
    """Give rows without a code the next free code of their direction (H2P-063, …)."""
    highest = highest_code_numbers(taken)
    for row in rows:
        if not row["事项编码"]:
            prefix = DIRECTION_CODE_PREFIX[row["_direction"]]
            highest[prefix] = highest.get(prefix, 0) + 1
            row["事项编码"] = format_item_code(row["_direction"], highest[prefix])


def parse(data: bytes, filename: str, diversion_list: DiversionList) -> list[ParsedRow]:
    """Check every row; raise ``ImportRejected`` listing all problems, or return the rows."""
    table = read_table(data, filename, REQUIRED, [c for c in COLUMNS if c not in REQUIRED])
    units = _units_by_name(diversion_list.region)
    errors, good = [], []
    seen_codes, seen_matters = {}, {}
    for number, row in table.rows:
        row = {c: row.get(c, "") for c in COLUMNS}
        row_errors = []
        direction = DIRECTION_WORDS.get(row["方向"].replace(" ", ""))
        if direction is None:
            row_errors.append(
                RowError(
                    number,
                    "方向",
                    _("Unknown direction “%(value)s”; use one of %(choices)s.")
                    % {"value": row["方向"], "choices": "、".join(list(DIRECTION_WORDS)[:4])},
                )
            )
        for column in REQUIRED[1:]:
            if not row[column]:
                row_errors.append(RowError(number, column, _("Must not be empty.")))
        code = row["事项编码"]
        if code and not CODE_RE.fullmatch(code):
            row_errors.append(
                RowError(
                    number,
                    "事项编码",
                    _("Item codes use letters, digits and - only, at most 32 characters."),
                )
            )
        elif code in seen_codes:
            row_errors.append(
                RowError(
                    number,
                    "事项编码",
                    _("Item code %(code)s is also used in row %(row)d.")
                    % {"code": code, "row": seen_codes[code]},
                )
            )
        elif code:
            seen_codes[code] = number
        if direction and row["事项"]:
            key = (direction, row["事项"])
            if key in seen_matters:
                row_errors.append(
                    RowError(
                        number,
                        "事项",
                        _("Duplicate of row %(row)d: the same matter in the same direction.")
                        % {"row": seen_matters[key]},
                    )
                )
            else:
                seen_matters[key] = number
        lead = None
        if row["主办单位"]:
            lead = units.get(row["主办单位"])
            if lead is None:
                row_errors.append(
                    RowError(
                        number,
                        "主办单位",
                        _("No unit “%(name)s” in %(region)s or above.")
                        % {"name": row["主办单位"], "region": diversion_list.region.name},
                    )
                )
        co_units = []
        for name in split_numbers(row["协办单位"]):
            if name not in units:
                row_errors.append(
                    RowError(
                        number,
                        "协办单位",
                        _("No unit “%(name)s” in %(region)s or above.")
                        % {"name": name, "region": diversion_list.region.name},
                    )
                )
            else:
                co_units.append(units[name])
        for hotline in split_numbers(row["引导热线"]):
            if not hotline.isdigit():
                row_errors.append(
                    RowError(
                        number,
                        "引导热线",
                        _("Hotline “%(value)s” must be digits.") % {"value": hotline},
                    )
                )
        if row_errors:
            errors += row_errors
            continue
        row["_direction"], row["_row"], row["_lead"], row["_co"] = direction, number, lead, co_units
        good.append(row)
    if errors:
        raise ImportRejected(errors)
    if not good:
        raise ImportRejected([RowError(None, "", _("The file has no items."))])
    existing_codes = set(diversion_list.items.values_list("item_code", flat=True))
    _assign_codes(good, existing_codes | set(seen_codes))
    return [
        ParsedRow(
            row=row["_row"],
            snapshot=ItemSnapshot(
                item_code=row["事项编码"],
                direction=row["_direction"],
                category=row["类别"],
                subcategory=row["细类"],
                matter=row["事项"],
                lead_unit=row["主办单位"],
                co_units="、".join(sorted(u.name for u in row["_co"])),
                guidance_hotlines="、".join(split_numbers(row["引导热线"])),
                keywords=row["关键词"],
                notes=row["备注"],
            ),
            lead_unit=row["_lead"],
            co_units=row["_co"],
        )
        for row in good
    ]


def preview(data: bytes, filename: str, diversion_list: DiversionList) -> ImportPreview:
    diversion_list.ensure_editable()
    rows = parse(data, filename, diversion_list)
    current = snapshot_items(
        diversion_list.items.select_related("lead_unit").prefetch_related("co_units")
    )
    return ImportPreview(
        rows=rows, diff=diff_snapshots(current, {r.snapshot.item_code: r.snapshot for r in rows})
    )


@transaction.atomic
def apply(data: bytes, filename: str, diversion_list: DiversionList) -> ImportPreview:
    """Replace the draft's items with the file's, all or nothing."""
    diversion_list = DiversionList.objects.select_for_update().get(pk=diversion_list.pk)
    result = preview(data, filename, diversion_list)
    replace_items(diversion_list, result.rows)
    return result


def replace_items(diversion_list: DiversionList, rows: list[ParsedRow]) -> None:
    diversion_list.items.all().delete()
    items = DiversionItem.objects.bulk_create(
        DiversionItem(
            diversion_list=diversion_list,
            order=position,
            lead_unit=row.lead_unit,
            **{
                f: getattr(row.snapshot, f)
                for f in (
                    "item_code",
                    "direction",
                    "category",
                    "subcategory",
                    "matter",
                    "guidance_hotlines",
                    "keywords",
                    "notes",
                )
            },
        )
        for position, row in enumerate(rows, start=1)
    )
    through = DiversionItem.co_units.through
    through.objects.bulk_create(
        through(diversionitem_id=item.pk, unit_id=unit.pk)
        for item, row in zip(items, rows, strict=True)
        for unit in row.co_units
    )
