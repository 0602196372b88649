"""Importing regions and member units from tables (the reference data goes through here)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.tabular import ImportRejected, RowError, read_table

from .models import Region, RegionLevel, Unit, UnitKind

REGION_COLUMNS = ["行政区划代码", "名称", "级别"]
REGION_OPTIONAL = ["上级代码"]
REGION_LEVELS = {
    "省": RegionLevel.PROVINCE,
    "市": RegionLevel.CITY,
    "县": RegionLevel.COUNTY,
    "区": RegionLevel.DISTRICT,
}

UNIT_COLUMNS = ["名称", "类型"]
UNIT_OPTIONAL = ["简称", "联动等级", "值班电话", "公共服务热线", "职责范围"]
UNIT_KINDS = {
    "政府部门": UnitKind.GOVERNMENT,
    "公安机关": UnitKind.POLICE,
    "公用事业或企业": UnitKind.ENTERPRISE,
    "热线中心": UnitKind.HOTLINE_CENTRE,
    "其他": UnitKind.OTHER,
}
# Which spreadsheet column reports a model field's error.
UNIT_FIELD_COLUMNS = {
    "name": "名称",
    "short_name": "简称",
    "kind": "类型",
    "linkage_tier": "联动等级",
    "duty_phone": "值班电话",
    "hotline_numbers": "公共服务热线",
    "scope": "职责范围",
    "credit_code": "统一社会信用代码",
    "__all__": "名称",
}


def row_errors(row_number, exc: ValidationError, field_columns):
    return [
        RowError(row_number, field_columns.get(fld, fld), message)
        for fld, messages in exc.message_dict.items()
        for message in messages
    ]


@transaction.atomic
def import_regions(data: bytes, filename: str) -> int:
    table = read_table(data, filename, REGION_COLUMNS, REGION_OPTIONAL)
    errors, count = [], 0
    for number, row in table.rows:
        level = REGION_LEVELS.get(row["级别"])
        if level is None:
            errors.append(RowError(number, "级别", _("Use one of 省, 市, 县, 区.")))
            continue
        parent = None
        if row.get("上级代码"):
            parent = Region.objects.filter(division_code=row["上级代码"]).first()
            if parent is None:
                errors.append(
                    RowError(
                        number,
                        "上级代码",
                        _("No region has this code (list parents before children)."),
                    )
                )
                continue
        region = Region.objects.filter(division_code=row["行政区划代码"]).first() or Region()
        region.division_code, region.name = row["行政区划代码"], row["名称"]
        region.level, region.parent = level, parent
        try:
            region.full_clean()
        except ValidationError as exc:
            errors += row_errors(
                number,
                exc,
                {
                    "division_code": "行政区划代码",
                    "name": "名称",
                    "parent": "上级代码",
                    "level": "级别",
                },
            )
            continue
        region.save()
        count += 1
    if errors:
        raise ImportRejected(errors)
    return count


@transaction.atomic
def import_units(data: bytes, filename: str, region: Region, *, changed_by=None) -> int:
    """Create or update the units of ``region`` named in the table; all or nothing."""
    table = read_table(data, filename, UNIT_COLUMNS, UNIT_OPTIONAL)
    existing = {u.name: u for u in Unit.objects.filter(region=region)}
    errors, seen, count = [], {}, 0
    for number, row in table.rows:
        name = row["名称"]
        if name in seen:
            errors.append(
                RowError(number, "名称", _("Same unit as row %(row)d.") % {"row": seen[name]})
            )
            continue
        seen[name] = number
        kind = UNIT_KINDS.get(row["类型"])
        if kind is None:
            errors.append(
                RowError(
                    number, "类型", _("Use one of %(kinds)s.") % {"kinds": "、".join(UNIT_KINDS)}
                )
            )
            continue
        tier = row.get("联动等级") or "3"
        if tier not in {"1", "2", "3"}:
            errors.append(RowError(number, "联动等级", _("Use 1, 2 or 3.")))
            continue
        unit = existing.get(name) or Unit(region=region, name=name)
        unit.short_name = row.get("简称", "")
        unit.kind, unit.linkage_tier = kind, int(tier)
        unit.duty_phone = row.get("值班电话", "")
        unit.hotline_numbers = row.get("公共服务热线", "")
        unit.scope = row.get("职责范围", "")
        try:
            unit.full_clean()
        except ValidationError as exc:
            errors += row_errors(number, exc, UNIT_FIELD_COLUMNS)
            continue
        unit._history_user = changed_by
        unit._change_reason = _("Imported from %(file)s") % {"file": filename}
        unit.save()
        count += 1
    if errors:
        raise ImportRejected(errors)
    return count
