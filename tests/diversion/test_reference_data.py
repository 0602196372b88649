"""The seed documents' annexes, loaded through the importer, match the sources."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from apps.directory.models import Unit
from apps.diversion.models import DiversionItem, DiversionList, ListStatus

# Items per region and direction as counted in the source documents (shared/seeds/).
EXPECTED = {
    # 南通 通政办发〔2023〕9号 annex: part 一 62 rows, part 二 68 rows
    "320600": {"hotline_to_police": 62, "police_to_hotline": 68},
    # 晋城 晋市政办〔2023〕21号 annex: items 1–22, and 1–158 without 98
    "140500": {"hotline_to_police": 22, "police_to_hotline": 157},
    # 乌恰 恰政办发〔2024〕6号 annex: (1)–(22) 110→12345, (1)–(9) 12345→110
    "653024": {"hotline_to_police": 9, "police_to_hotline": 22},
    # 钦州 钦政办〔2022〕45号 annex 2: 18 categories, 3 other hotlines, 3 enterprises
    "450700": {"police_to_hotline": 18, "to_other_hotline": 3, "to_enterprise": 3},
}


@pytest.fixture
def lists(reference_data):
    return {dl.region.division_code: dl for dl in DiversionList.objects.select_related("region")}


def test_every_seed_list_is_published_and_in_force(lists):
    assert set(lists) == set(EXPECTED)
    for diversion_list in lists.values():
        assert diversion_list.status == ListStatus.PUBLISHED
        assert diversion_list in DiversionList.objects.in_force()


@pytest.mark.parametrize("code", EXPECTED)
def test_item_counts_per_direction_match_the_sources(lists, code):
    counts = Counter(lists[code].items.values_list("direction", flat=True))
    assert dict(counts) == EXPECTED[code]


def test_jincheng_keeps_the_gap_at_item_98(lists):
    codes = set(lists["140500"].items.values_list("item_code", flat=True))
    assert {"P2H-097", "P2H-099", "P2H-158"} <= codes
    assert "P2H-098" not in codes


def test_document_numbers_and_effective_dates(lists):
    nantong = lists["320600"]
    assert nantong.document_number == "通政办发〔2023〕9号"
    assert str(nantong.effective_from.astimezone().date()) == "2023-01-19"


def test_wuqia_items_are_linked_to_their_responsible_units(lists):
    item = lists["653024"].items.get(item_code="P2H-006")
    assert item.lead_unit.name == "市场监督管理局"
    assert [u.name for u in item.co_units.all()] == ["生态环境局"]
    assert item.lead_unit.region.division_code == "653024"


def test_qinzhou_guidance_hotlines_and_enterprises(lists):
    hotlines = lists["450700"].items.filter(direction="to_other_hotline")
    assert sorted(hotlines.values_list("guidance_hotlines", flat=True)) == [
        "12313",
        "12348",
        "12395",
    ]
    repair = lists["450700"].items.get(item_code="ENT-001")
    assert repair.lead_unit.kind == "enterprise"


def test_panzhihua_hotline_directory(reference_data):
    units = Unit.objects.filter(region__division_code="510400")
    assert units.count() == 36  # 35 numbered hotlines of annex 2, plus 市公安局 of annex 1
    hrss = units.get(name="市人力资源社会保障局")
    assert hrss.hotline_number_list == ["12333", "3335765"]
    assert units.get(name="市委群工局").kind == "hotline_centre"


def test_nantong_units_carry_their_linkage_tiers(reference_data):
    units = Unit.objects.filter(region__division_code="320600")
    assert units.get(name="市公安局").linkage_tier == 1
    assert units.get(name="市信访局").linkage_tier == 2


def test_loading_twice_changes_nothing(reference_data):
    before = (DiversionList.objects.count(), DiversionItem.objects.count(), Unit.objects.count())
    call_command("load_reference_data", stdout=io.StringIO())
    assert (
        DiversionList.objects.count(),
        DiversionItem.objects.count(),
        Unit.objects.count(),
    ) == before
