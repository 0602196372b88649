"""Importing diversion lists: preview, all-or-nothing, every kind of bad file."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from apps.core.tabular import ImportRejected
from apps.diversion import exporters, importers, services
from apps.diversion.models import DiversionList, ListStatus
from apps.diversion.selectors import diff_lists
from tests.factories import UnitFactory

HEADER = importers.COLUMNS
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(
    code="",
    direction="12345转110",
    category="社会治安类",
    sub="",
    matter="事项",
    lead="",
    co="",
    hotline="",
    keywords="",
    notes="",
):
    return [code, direction, category, sub, matter, lead, co, hotline, keywords, notes]


@pytest.fixture
def draft(region):
    UnitFactory(region=region, name="市公安局")
    UnitFactory(region=region, name="市城管局")
    return services.create_draft(region, title="测试清单")


def rejected(data, name, draft):
    with pytest.raises(ImportRejected) as exc:
        importers.apply(data, name, draft)
    assert draft.items.count() == 0
    return [str(e) for e in exc.value.errors]


def test_preview_shows_changes_and_saves_nothing(draft):
    data = csv_bytes([row("H2P-001", matter="遛犬不牵绳", lead="市公安局", co="市城管局")])
    result = importers.preview(data, "list.csv", draft)
    assert result.counts == {"added": 1, "changed": 0, "removed": 0}
    assert draft.items.count() == 0
    importers.apply(data, "list.csv", draft)
    item = draft.items.get()
    assert (item.item_code, item.lead_unit.name) == ("H2P-001", "市公安局")
    assert [u.name for u in item.co_units.all()] == ["市城管局"]


def test_reimport_previews_changed_and_removed(draft):
    importers.apply(
        csv_bytes([row("H2P-001", matter="甲"), row("H2P-002", matter="乙")]), "a.csv", draft
    )
    result = importers.preview(
        csv_bytes([row("H2P-001", matter="甲改"), row(matter="丙")]), "b.csv", draft
    )
    assert result.counts == {"added": 1, "changed": 1, "removed": 1}
    assert [s.item_code for s in result.diff.added] == ["H2P-003"]


def test_missing_columns_are_named(draft):
    errors = rejected(csv_bytes([["H2P-001", "x"]], header=["事项编码", "类别"]), "x.csv", draft)
    assert any("方向" in e and "缺少" in e for e in errors)
    assert any("事项" in e for e in errors)


def test_unknown_direction_empty_matter_and_bad_unit_name_row_and_column(draft):
    errors = rejected(
        csv_bytes(
            [
                row(matter="好的"),
                row(direction="12345到110", matter="方向错"),
                row(matter=""),
                row(matter="单位错", lead="不存在的局"),
            ]
        ),
        "x.csv",
        draft,
    )
    assert "第3行，“方向”列：无法识别的方向“12345到110”" in errors[0]
    assert errors[1].startswith("第4行，“事项”列：不能为空")
    assert errors[2].startswith("第5行，“主办单位”列") and "不存在的局" in errors[2]


def test_duplicate_rows_point_at_the_first(draft):
    errors = rejected(
        csv_bytes(
            [row("H2P-001", matter="甲"), row("H2P-002", matter="甲"), row("H2P-001", matter="乙")]
        ),
        "x.csv",
        draft,
    )
    assert "第3行" in errors[0] and "第2行重复" in errors[0]
    assert "第4行" in errors[1] and "H2P-001" in errors[1]


def test_gbk_csv_is_read(draft):
    importers.apply(csv_bytes([row(matter="路灯故障")], encoding="gbk"), "gbk.csv", draft)
    assert draft.items.get().matter == "路灯故障"


def test_non_excel_file_named_xlsx_is_refused(draft):
    errors = rejected(b"this is not a workbook", "list.xlsx", draft)
    assert errors == ["文件不是有效的 Excel 工作簿。"]


def test_other_file_types_are_refused(draft):
    assert "请上传 .xlsx 或 .csv 文件" in rejected(b"%PDF-1.4", "list.pdf", draft)[0]


def test_importing_into_a_published_list_is_refused(draft, staff_user):
    importers.apply(csv_bytes([row(matter="甲")]), "a.csv", draft)
    services.publish(draft, approved_by=staff_user)
    with pytest.raises(Exception, match="创建新版本"):
        importers.apply(csv_bytes([row(matter="乙")]), "b.csv", draft)
    assert list(draft.items.values_list("matter", flat=True)) == ["甲"]


def test_export_then_import_gives_the_same_items(reference_data, staff_user):
    nantong = DiversionList.objects.get(region__division_code="320600")
    exported = exporters.export_list(nantong)
    draft = services.create_draft(nantong.region, title="round trip")
    importers.apply(exported, "export.xlsx", draft)
    assert draft.items.count() == nantong.items.count() == 130
    assert diff_lists(nantong, draft).is_empty
    wuqia = DiversionList.objects.get(region__division_code="653024")
    again = services.create_draft(wuqia.region, title="round trip")
    importers.apply(exporters.export_list(wuqia), "export.xlsx", again)
    assert diff_lists(wuqia, again).is_empty  # units and co-units survive too


def test_blank_template_has_the_import_header(draft):
    sheet = load_workbook(io.BytesIO(exporters.export_template())).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    with pytest.raises(ImportRejected, match="没有事项"):
        importers.apply(exporters.export_template(), "template.xlsx", draft)


def test_twenty_thousand_rows_import_and_one_bad_row_rejects_all(draft):
    rows = [row(matter=f"事项{i}", category=f"类别{i % 40}") for i in range(20_000)]
    importers.apply(csv_bytes(rows), "big.csv", draft)
    assert draft.items.count() == 20_000
    assert draft.items.order_by("order").last().item_code == "H2P-20000"
    rows[-1] = row(direction="未知", matter="坏行")
    errors = rejected_keep(draft, csv_bytes(rows))
    assert errors == [
        "第20001行，“方向”列：无法识别的方向“未知”，请填写：12345转110、110转12345、引导至其他热线、引导至企业。"
    ]
    assert draft.items.count() == 20_000  # the previous content is untouched


def rejected_keep(draft, data):
    with pytest.raises(ImportRejected) as exc:
        importers.apply(data, "big.csv", draft)
    return [str(e) for e in exc.value.errors]


def test_xlsx_upload_is_read(draft):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(row("P2H-001", direction="110转12345", matter="路灯故障"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    importers.apply(buffer.getvalue(), "list.xlsx", draft)
    assert draft.items.get().direction == "police_to_hotline"


def test_command_line_import_and_publish(region, staff_user, tmp_path):
    UnitFactory(region=region, name="市公安局")
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([row(matter="甲", lead="市公安局")]))
    call_command(
        "import_diversion_list",
        str(path),
        "--region",
        region.division_code,
        "--publish",
        "--title",
        "命令行导入",
        stdout=io.StringIO(),
    )
    published = DiversionList.objects.get(region=region)
    assert published.status == ListStatus.PUBLISHED and published.title == "命令行导入"
    path.write_bytes(csv_bytes([row(matter="")]))
    with pytest.raises(CommandError, match="第2行"):
        call_command("import_diversion_list", str(path), "--region", region.division_code)
    assert DiversionList.objects.count() == 1  # the failed import left no empty draft
