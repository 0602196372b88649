from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.directory.models import Region
from apps.diversion import services
from apps.diversion.models import DiversionItem, DiversionList, ListStatus
from apps.diversion.selectors import diff_lists
from tests.factories import DiversionItemFactory, DiversionListFactory, UnitFactory


@pytest.fixture
def published(region, staff_user):
    draft = services.create_draft(region, title="市本级清单", document_number="通政办发〔2023〕9号")
    lead = UnitFactory(region=region, name="市公安局")
    DiversionItemFactory(
        diversion_list=draft,
        item_code="H2P-001",
        subcategory="犬类管理",
        matter="遛犬不牵绳",
        lead_unit=lead,
    )
    DiversionItemFactory(
        diversion_list=draft,
        item_code="P2H-001",
        direction="police_to_hotline",
        category="公共设施类",
        subcategory="路灯故障",
        matter="路灯不亮",
    )
    return services.publish(
        draft, approved_by=staff_user, effective_from=timezone.now() - timedelta(days=30)
    )


def test_publish_records_approver_and_puts_list_in_force(published, staff_user):
    assert published.status == ListStatus.PUBLISHED
    assert published.approved_by == staff_user and published.approved_at is not None
    assert list(DiversionList.objects.in_force()) == [published]


def test_new_version_copies_items_with_their_codes_and_units(published):
    draft = services.new_version(published)
    assert draft.version == published.version + 1 and draft.status == ListStatus.DRAFT
    assert draft.based_on == published
    assert sorted(draft.items.values_list("item_code", flat=True)) == ["H2P-001", "P2H-001"]
    assert draft.items.get(item_code="H2P-001").lead_unit.name == "市公安局"
    assert diff_lists(published, draft).is_empty


def test_editing_a_published_list_is_refused_with_a_hint_to_make_a_new_version(published):
    item = published.items.first()
    item.matter = "改了"
    with pytest.raises(ValidationError) as exc:
        services.save_item(item)
    assert "创建新版本" in str(exc.value) or "新版本" in str(exc.value)
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        services.delete_item(item)
    assert published.items.get(pk=item.pk).matter == "遛犬不牵绳"


def test_publishing_retires_the_previous_version(published, staff_user):
    draft = services.new_version(published)
    moment = timezone.now()
    services.publish(draft, approved_by=staff_user, effective_from=moment)
    published.refresh_from_db()
    assert published.status == ListStatus.RETIRED and published.effective_to == moment
    assert list(DiversionList.objects.in_force()) == [draft]
    # What was in force yesterday is still known.
    assert list(DiversionList.objects.in_force(moment - timedelta(days=1))) == [published]


def test_publish_lists_every_problem_and_changes_nothing(published, staff_user):
    draft = services.new_version(published)
    DiversionItem.objects.filter(diversion_list=draft, item_code="P2H-001").update(category="")
    DiversionItemFactory(diversion_list=draft, item_code="H2P-002", matter="遛犬不牵绳")
    DiversionItemFactory(diversion_list=draft, item_code="H2P-003", matter=" ")
    with pytest.raises(ValidationError) as exc:
        services.publish(draft, approved_by=staff_user)
    problems = exc.value.messages
    assert len(problems) == 4, problems
    assert any("P2H-001" in p and "类别" in p for p in problems)
    assert any("H2P-003" in p and "事项" in p for p in problems)
    assert sum("遛犬不牵绳" in p for p in problems) == 2
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == ListStatus.DRAFT and published.status == ListStatus.PUBLISHED


def test_database_allows_only_one_published_list_per_region(published):
    other = DiversionListFactory(region=published.region)
    with pytest.raises(IntegrityError), transaction.atomic():
        DiversionList.objects.filter(pk=other.pk).update(status=ListStatus.PUBLISHED)


def test_county_derives_its_draft_from_the_city_list(published):
    county = Region.objects.create(
        name="海门区", division_code="320614", level="district", parent=published.region
    )
    draft = services.derive_from_parent(county)
    assert draft.region == county and draft.based_on == published
    assert draft.items.count() == 2


def test_derive_without_a_city_list_says_why(region):
    county = Region.objects.create(
        name="海门区", division_code="320614", level="district", parent=region
    )
    with pytest.raises(ValidationError) as exc:
        services.derive_from_parent(county)
    assert "南通市" in exc.value.messages[0]


def test_diff_shows_added_removed_and_changed_fields(published):
    draft = services.new_version(published)
    item = draft.items.get(item_code="H2P-001")
    item.matter = "遛犬不牵绳、犬只扰民"
    item.lead_unit = None
    services.save_item(item)
    draft.items.get(item_code="P2H-001").delete()
    services.save_item(
        DiversionItem(
            diversion_list=draft,
            direction="hotline_to_police",
            category="社会治安类",
            matter="非法集资",
        )
    )
    diff = diff_lists(published, draft)
    assert [s.item_code for s in diff.added] == ["H2P-002"]  # the next free code
    assert [s.item_code for s in diff.removed] == ["P2H-001"]
    (change,) = diff.changed
    assert [(str(label), old, new) for label, old, new in change.fields] == [
        ("事项", "遛犬不牵绳", "遛犬不牵绳、犬只扰民"),
        ("主办单位", "市公安局", ""),
    ]


def test_versions_are_numbered_per_region(published):
    other = Region.objects.create(name="晋城市", division_code="140500", level="city")
    assert services.create_draft(other, title="x").version == 1
    assert services.create_draft(published.region, title="y").version == published.version + 1


def test_units_of_another_city_are_refused_and_listed_at_publication(published, staff_user):
    jincheng = Region.objects.create(name="晋城市", division_code="140500", level="city")
    foreign = UnitFactory(region=jincheng, name="市公安局")
    county = Region.objects.create(
        name="海门区", division_code="320614", level="county", parent=published.region
    )
    own_county_unit = UnitFactory(region=county, name="海门区公安分局")
    draft = services.new_version(published)
    item = draft.items.get(item_code="H2P-001")
    item.lead_unit = foreign
    with pytest.raises(ValidationError) as exc:
        services.save_item(item)
    assert "市公安局（晋城市）" in exc.value.message_dict["lead_unit"][0]
    item.lead_unit = own_county_unit  # a county of the list's city may answer
    services.save_item(item)
    # Written past the checks (a bulk edit): publication still names it.
    DiversionItem.objects.filter(pk=item.pk).update(lead_unit=foreign)
    item.co_units.add(foreign)
    with pytest.raises(ValidationError) as exc:
        services.publish(draft, approved_by=staff_user)
    named = [p for p in exc.value.messages if "市公安局（晋城市）" in p]
    assert len(named) == 2 and all(p.startswith("H2P-001") for p in named)


def test_a_county_list_may_name_units_of_its_city(published):
    county = Region.objects.create(
        name="海门区", division_code="320614", level="county", parent=published.region
    )
    county_list = services.derive_from_parent(county)
    city_unit = published.items.get(item_code="H2P-001").lead_unit
    assert county_list.unit_problem(city_unit) is None
    assert services.publication_problems(county_list) == []
