"""Call-takers find the right item from everyday Chinese without spaces."""

import pytest

from apps.directory.models import Region
from apps.diversion import lookup
from apps.diversion.models import LookupSynonym


@pytest.fixture(autouse=True)
def fresh_synonyms():
    lookup._synonyms["loaded_at"] = 0.0  # each test sees the synonyms it sets up
    yield
    lookup._synonyms["loaded_at"] = 0.0


def best(code, query, **kwargs):
    _list, matches = lookup.lookup(Region.objects.get(division_code=code), query, **kwargs)
    return matches


def test_walking_a_dog_without_a_leash_finds_dog_management(reference_data):
    top = best("320600", "小区里有人遛狗不牵绳")[0].item
    assert top.subcategory == "犬类管理" and top.direction == "hotline_to_police"


def test_street_lamp_not_lit_at_night_finds_street_lamp_fault(reference_data):
    top = best("320600", "路灯晚上不亮")[0].item
    assert top.subcategory == "路灯故障"
    assert best("140500", "路灯晚上不亮")[0].item.matter == "路灯故障"


def test_without_the_synonym_the_dog_query_loses_its_best_clue(reference_data):
    LookupSynonym.objects.filter(spoken__in=["狗", "遛狗"]).delete()
    matches = best("320600", "遛狗不牵绳")
    LookupSynonym.objects.create(spoken="遛狗", listed="遛犬")
    lookup._synonyms["loaded_at"] = 0.0
    with_synonyms_score = best("320600", "遛狗不牵绳")[0].score
    assert matches[0].score < with_synonyms_score


def test_direction_filter(reference_data):
    matches = best("320600", "路灯晚上不亮", direction="hotline_to_police")
    assert all(m.item.direction == "hotline_to_police" for m in matches)


def test_county_without_its_own_list_falls_back_to_its_city(reference_data):
    county = Region.objects.create(
        name="海门区",
        division_code="320614",
        level="district",
        parent=Region.objects.get(division_code="320600"),
    )
    diversion_list, matches = lookup.lookup(county, "路灯晚上不亮")
    assert diversion_list.region.division_code == "320600"
    assert matches[0].item.subcategory == "路灯故障"


def test_guidance_to_another_hotline(reference_data):
    top = best("450700", "有人卖假烟")[0].item
    assert top.guidance_hotlines == "12313"


def test_nothing_relevant_returns_nothing(reference_data):
    assert best("320600", "。。。") == []


def test_region_without_any_list(region):
    diversion_list, matches = lookup.lookup(region, "路灯")
    assert diversion_list is None and matches == []
