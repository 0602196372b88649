import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.diversion import services
from apps.diversion.models import DiversionList


@pytest.fixture
def api(platform_user):
    client = APIClient()
    client.force_authenticate(platform_user)
    return client


def test_lookup_answers_from_the_list_in_force(api, reference_data):
    response = api.get("/api/v1/diversion/lookup", {"region": "320600", "q": "路灯晚上不亮"})
    assert response.status_code == 200
    body = response.json()
    assert body["list"]["document_number"] == "通政办发〔2023〕9号"
    top = body["results"][0]["item"]
    assert top["subcategory"] == "路灯故障" and top["direction_label"] == "110转12345"


def test_lookup_returns_unit_with_duty_phone_and_guidance_hotline(api, reference_data):
    top = api.get("/api/v1/diversion/lookup", {"region": "653024", "q": "工地晚上施工"}).json()
    item = top["results"][0]["item"]
    assert item["lead_unit"]["name"] == "住建局" and "duty_phone" in item["lead_unit"]
    tobacco = api.get("/api/v1/diversion/lookup", {"region": "450700", "q": "烟草"}).json()
    assert tobacco["results"][0]["item"]["guidance_hotlines"] == ["12313"]


def test_lookup_rejects_bad_parameters_by_name(api, reference_data):
    response = api.get("/api/v1/diversion/lookup", {"region": "320600", "limit": "0"})
    assert response.status_code == 400
    assert set(response.json()) == {"q", "limit"}
    assert api.get("/api/v1/diversion/lookup", {"region": "999999", "q": "x"}).status_code == 404


def test_lookup_requires_authentication(reference_data):
    response = APIClient().get("/api/v1/diversion/lookup", {"region": "320600", "q": "路灯"})
    assert response.status_code in (401, 403)


def test_items_filter_by_region_direction_and_category(api, reference_data):
    response = api.get(
        "/api/v1/diversion/items/",
        {"region": "320600", "direction": "police_to_hotline", "category": "公共设施类"},
    )
    body = response.json()
    assert body["count"] == 10
    assert {i["category"] for i in body["results"]} == {"公共设施类"}


def test_as_of_date_answers_which_items_were_in_force(api, reference_data, staff_user):
    nantong = DiversionList.objects.get(region__division_code="320600")
    draft = services.new_version(nantong)
    draft.items.filter(item_code="H2P-001").delete()
    services.publish(draft, approved_by=staff_user)

    def codes(params):
        items = api.get(
            "/api/v1/diversion/items/", {"region": "320600", "page_size": 500, **params}
        ).json()
        return {i["item_code"] for i in items["results"]}

    assert "H2P-001" in codes({"as_of": "2023-03-01"})
    assert "H2P-001" not in codes({})  # today: the new version
    # Before 南通's list took effect nothing was in force.
    assert codes({"as_of": "2023-01-18"}) == set()
    lists = api.get("/api/v1/diversion/lists/", {"region": "320600", "as_of": "2023-03-01"})
    assert [dl["version"] for dl in lists.json()["results"]] == [nantong.version]


def test_drafts_are_hidden_from_platforms(api, reference_data):
    nantong = DiversionList.objects.get(region__division_code="320600")
    draft = services.new_version(nantong)
    lists = api.get("/api/v1/diversion/lists/", {"region": "320600"}).json()["results"]
    assert draft.pk not in [dl["id"] for dl in lists]
    items = api.get("/api/v1/diversion/items/", {"diversion_list": draft.pk}).json()
    assert items["count"] == 0


def test_openapi_schema_and_docs_need_no_cdn(client, staff_user):
    client.force_login(staff_user)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/diversion/lookup" in schema["paths"]
    assert "/api/v1/diversion/items/" in schema["paths"]
    docs = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
