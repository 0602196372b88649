"""Call-takers find the right item from everyday Chinese without spaces."""

import pytest
from django.urls import reverse

from apps.directory.models import Region
from apps.diversion import lookup
from apps.diversion.models import LookupSynonym, LookupWeights


@pytest.fixture(autouse=True)
def fresh_synonyms(db):
    lookup._synonyms["loaded_at"] = 0.0  # each test sees the synonyms it sets up
    yield
    lookup._synonyms["loaded_at"] = 0.0
    lookup.weights_changed()  # and the next one the weights it finds


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


def test_the_offices_weights_rank_the_results_and_take_effect_at_once(reference_data):
    matches = best("320600", "路灯晚上不亮", limit=50)
    assert matches[0].item.subcategory == "路灯故障"
    shown = len(matches)
    weights = LookupWeights.current()
    weights.least_share_of_best = 0.9  # only results close to the best
    weights.save()
    lookup.weights_changed()
    close = best("320600", "路灯晚上不亮", limit=50)
    assert close[0].item == matches[0].item and len(close) < shown
    weights.least_share_of_best, weights.subcategory_bonus = 0.0, 0.0
    for name in LookupWeights.ITEM_FIELDS:
        setattr(weights, name, 0.0)
    weights.learned = weights.single_character = 0.0
    weights.save()
    lookup.weights_changed()
    assert all(m.score == 0 for m in best("320600", "路灯晚上不亮", limit=50))


def test_staff_edit_the_weights_in_the_admin(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:diversion_lookupweights_change", args=[LookupWeights.current().pk])
    page = client.get(url)
    assert page.status_code == 200 and "单字" in page.content.decode()
    data = {f: v for f, v in page.context["adminform"].form.initial.items() if f != "id"}
    response = client.post(url, {**data, "keywords": "-1"})
    assert response.status_code == 200  # refused: no negative weight
    response = client.post(url, {**data, "keywords": "4"})
    assert response.status_code == 302 and LookupWeights.current().keywords == 4
