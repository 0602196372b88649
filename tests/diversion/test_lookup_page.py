"""The call-taker's lookup page: ranked items as staff type, picks recorded, reviewed picks
teaching the ranking, and units always as they are now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.directory.models import Region, Unit
from apps.diversion import choices, lookup
from apps.diversion.models import ChoiceReview, DiversionList, LookupChoice

PAGE = "admin:diversion_lookupchoice_lookup"
PICK = "admin:diversion_lookupchoice_pick"


@pytest.fixture(autouse=True)
def fresh_synonyms():
    lookup._synonyms["loaded_at"] = 0.0
    yield
    lookup._synonyms["loaded_at"] = 0.0


@pytest.fixture
def nantong_region(reference_data):
    return Region.objects.get(division_code="320600")


def _items(region, words):
    return [m.item for m in lookup.lookup(region, words)[1]]


@pytest.fixture
def wuqia(reference_data):
    # 乌恰's list names a lead unit for most items (南通's names none).
    return Region.objects.get(division_code="653024")


def test_the_page_answers_in_chinese_with_the_lead_unit_its_region_and_duty_phone(
    staff_client, wuqia
):
    dog_item = _items(wuqia, "邻居家的狗半夜一直叫")[0]
    assert "饲养宠物" in dog_item.matter
    Unit.objects.filter(pk=dog_item.lead_unit_id).update(duty_phone="0908-5555555")
    page = staff_client.get(reverse(PAGE), {"q": "邻居家的狗半夜一直叫", "region": wuqia.pk})
    page = page.content.decode()
    assert "查询分流事项" in page and "来电人说的话" in page
    assert "住建局（乌恰县）" in page
    assert "0908-5555555" in page  # read now, not from a cached copy
    assert "110转12345" in page and "一键转接" in page
    assert "P2H-001" in page and "现行第 1 版" in page


def test_the_fragment_is_only_the_results_for_typing(staff_client, nantong_region):
    response = staff_client.get(
        reverse(PAGE), {"q": "路灯晚上不亮", "region": nantong_region.pk, "fragment": 1}
    )
    body = response.content.decode()
    assert "路灯故障" in body and "<form" not in body and "<html" not in body


def test_region_defaults_to_the_last_one_asked_and_is_remembered(staff_client, reference_data):
    jincheng = Region.objects.get(division_code="140500")
    staff_client.get(reverse(PAGE), {"q": "路灯", "region": jincheng.pk})
    page = staff_client.get(reverse(PAGE), {"q": "路灯晚上不亮"})
    assert page.context["form"].cleaned_data["region"] == jincheng


def test_malformed_input_is_a_form_error_not_a_500(staff_client, reference_data):
    for params in ({"region": "x"}, {"region": "99999999"}, {"q": "x" * 500}, {"direction": "?"}):
        response = staff_client.get(reverse(PAGE), params)
        assert response.status_code == 200
        assert response.context["form"].errors and response.context["matches"] == []


def test_nothing_found_says_so(staff_client, nantong_region):
    page = staff_client.get(
        reverse(PAGE), {"q": "。。。", "region": nantong_region.pk}
    ).content.decode()
    assert "没有与这些话相符的事项" in page


def test_queries_do_not_grow_with_the_results(staff_client, nantong_region, cached):
    def count(words):
        lookup.lookup(nantong_region, words)  # index built, synonyms read
        with CaptureQueriesContext(connection) as queries:
            _list, matches = lookup.lookup(nantong_region, words, limit=10)
        return len(queries), len(matches)

    few_queries, few = count("自杀")
    many_queries, many = count("噪音扰民")
    assert many > few and few_queries == many_queries <= 3


def test_a_unit_edit_reaches_the_next_answer(wuqia):
    item = _items(wuqia, "老板拖欠工资")[0]
    assert item.lead_unit is not None
    Unit.objects.filter(pk=item.lead_unit_id).update(duty_phone="0908-9999999", name="新名称局")
    fresh = next(i for i in _items(wuqia, "老板拖欠工资") if i.pk == item.pk)
    assert fresh.lead_unit.duty_phone == "0908-9999999"
    assert fresh.lead_unit.label == "新名称局（乌恰县）"


def test_co_units_come_without_a_query_each(wuqia, cached):
    list_in_force = DiversionList.objects.get(region=wuqia)
    units = list(Unit.objects.filter(region=wuqia)[:3])
    for item in list_in_force.items.all()[:5]:
        DiversionList.objects.filter(pk=list_in_force.pk).update(status="draft")
        item.co_units.set(units)
        DiversionList.objects.filter(pk=list_in_force.pk).update(status="published")
    lookup.index_for.cache_clear()
    lookup.lookup(wuqia, "纠纷")
    with CaptureQueriesContext(connection) as queries:
        _list, matches = lookup.lookup(wuqia, "纠纷", limit=10)
        labels = [u.label for m in matches for u in m.item.co_units.all()]
    assert len(queries) <= 3 and "（乌恰县）" in "".join(labels)


def test_a_pick_is_recorded_once_per_pairing_and_counted(staff_client, staff_user, nantong_region):
    item = _items(nantong_region, "下水道堵了往外冒臭水")[0]
    for _ in range(2):
        response = staff_client.post(
            reverse(PICK), {"words": "下水道堵了，往外冒臭水！", "item": item.pk, "position": 1}
        )
        assert response.status_code == 200 and response.json()["ok"]
    choice = LookupChoice.objects.get()
    assert (choice.words, choice.picks, choice.item_code) == (
        "下水道堵了往外冒臭水",
        2,
        item.item_code,
    )
    assert choice.review == ChoiceReview.PENDING and choice.last_picked_by == staff_user
    assert "审核" in response.json()["message"]


@pytest.mark.parametrize(
    "data",
    [
        {"words": "", "item": "1", "position": "1"},
        {"words": "路灯", "item": "x", "position": "1"},
        {"words": "路灯", "item": "999999", "position": "1"},
        {"words": "路灯", "item": "1", "position": "0"},
        {"words": "。。", "item": "first", "position": "1"},
        {"words": "路灯", "item": "draft", "position": "1"},
    ],
)
def test_a_bad_pick_is_refused_with_a_reason_and_writes_nothing(staff_client, nantong_region, data):
    from apps.diversion import services

    if data["item"] == "first":
        data["item"] = DiversionList.objects.get(region=nantong_region).items.first().pk
    if data["item"] == "draft":
        draft = services.new_version(DiversionList.objects.get(region=nantong_region))
        data["item"] = draft.items.first().pk
    response = staff_client.post(reverse(PICK), data)
    assert response.status_code == 400 and response.json()["errors"]
    assert not LookupChoice.objects.exists()


def test_the_page_and_picking_are_for_staff_only(client, users, nantong_region):
    item = DiversionList.objects.get(region=nantong_region).items.first()
    for role in ("liaison", "leader"):
        client.force_login(users[role])
        assert client.get(reverse(PAGE), {"q": "路灯"}).status_code == 403
        response = client.post(reverse(PICK), {"words": "路灯", "item": item.pk, "position": 1})
        assert response.status_code == 403
    assert not LookupChoice.objects.exists()


@pytest.fixture
def cached(settings):
    """Each process's copy of the learned state kept for a minute, as in production."""
    settings.LOOKUP_LEARNING_CACHE_SECONDS = 60
    lookup.learned_changed()  # this test's data, not a state left by an earlier test
    lookup.weights_changed()


def _review(choice, *, approve, reviewer, capture):
    with capture(execute=True):  # the commit tells this process's lookup
        choices.review_choices(
            LookupChoice.objects.filter(pk=choice.pk), approve=approve, reviewer=reviewer
        )


def test_an_approved_choice_teaches_the_next_caller(
    staff_user, nantong_region, cached, django_capture_on_commit_callbacks
):
    sewage = DiversionList.objects.get(region=nantong_region).items.get(subcategory="污水漫溢")
    next_caller = "下水道冒臭水了"
    before = _items(nantong_region, next_caller)
    choice = choices.record_choice(
        user=staff_user, words="下水道堵了往外冒臭水", item=sewage, position=5
    )
    assert _items(nantong_region, next_caller) == before  # pending: nothing learned yet
    _review(choice, approve=True, reviewer=staff_user, capture=django_capture_on_commit_callbacks)
    after = _items(nantong_region, next_caller)
    assert after[0] == sewage and (not before or before[0] != sewage)
    _review(choice, approve=False, reviewer=staff_user, capture=django_capture_on_commit_callbacks)
    assert _items(nantong_region, next_caller) == before  # withdrawn: forgotten again


def test_a_choice_outlives_its_list_version(
    staff_user, nantong_region, cached, django_capture_on_commit_callbacks
):
    from apps.diversion import services

    current = DiversionList.objects.get(region=nantong_region)
    sewage = current.items.get(subcategory="污水漫溢")
    choice = choices.record_choice(
        user=staff_user, words="下水道堵了往外冒臭水", item=sewage, position=3
    )
    _review(choice, approve=True, reviewer=staff_user, capture=django_capture_on_commit_callbacks)
    draft = services.new_version(current)
    services.publish(draft, approved_by=staff_user, change_note="新版")
    top = _items(nantong_region, "下水道冒臭水了")[0]
    assert top.diversion_list_id == draft.pk and top.item_code == sewage.item_code


def test_staff_review_choices_in_the_admin(staff_client, staff_user, nantong_region):
    sewage = DiversionList.objects.get(region=nantong_region).items.get(subcategory="污水漫溢")
    choice = choices.record_choice(user=staff_user, words="下水道冒臭水", item=sewage, position=2)
    listing = staff_client.get(
        reverse("admin:diversion_lookupchoice_changelist"), {"review": "pending"}
    )
    assert "下水道冒臭水" in listing.content.decode()
    staff_client.post(
        reverse("admin:diversion_lookupchoice_changelist"),
        {"action": "approve", "_selected_action": [choice.pk]},
    )
    choice.refresh_from_db()
    assert choice.review == ChoiceReview.APPROVED and choice.reviewed_by == staff_user
