from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.disputes import meetings, services
from apps.disputes.models import DisputeOrigin, MeetingKind
from tests.factories import UserFactory


@pytest.fixture
def decided(region, staff_user, unit, ecology_unit):
    dispute = services.raise_dispute(
        region=region,
        title="噪音",
        matter="夜间施工噪音",
        origin=DisputeOrigin.UNIT,
        raised_by_unit=unit,
    )
    services.start_consultation(dispute, actor=staff_user)
    return services.decide(
        dispute,
        lead_unit=ecology_unit,
        co_units=[unit],
        handling_norm="生态环境局主办",
        effective_date=date(2027, 1, 1),
        actor=staff_user,
    )


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_platforms_read_disputes_and_their_decisions(decided, ecology_unit, unit, region):
    platform = UserFactory(username="p12345", role="平台接口", is_staff=False, platform="12345")
    answer = client_for(platform).get("/api/v1/disputes/", {"region": region.division_code})
    assert answer.status_code == 200
    (row,) = answer.json()["results"]
    assert row["number"] == decided.number and row["status"] == "decided"
    assert row["lead_unit"] == ecology_unit.label and row["co_units"] == [unit.label]
    # Platforms read no meetings.
    assert client_for(platform).get("/api/v1/meetings/").json()["results"] == []


def test_filters_by_status_and_quarter(decided, leader_user):
    client = client_for(leader_user)
    assert client.get("/api/v1/disputes/", {"status": "raised"}).json()["results"] == []
    quarter = f"{timezone.localdate().year}Q{(timezone.localdate().month - 1) // 3 + 1}"
    assert len(client.get("/api/v1/disputes/", {"quarter": quarter}).json()["results"]) == 1
    for bad in ("2026-4", "9999Q4", "0000Q1", "2026Q5"):
        answer = client.get("/api/v1/disputes/", {"quarter": bad})
        assert answer.status_code == 400 and "YYYYQn" in str(answer.json()), bad


def test_meetings_with_agenda_and_action_items(region, staff_user, leader_user, unit, decided):
    meeting = meetings.create_meeting(
        region=region,
        kind=MeetingKind.AD_HOC,
        title="专题会",
        starts_at=timezone.now() + timedelta(days=1),
    )
    meeting = meetings.confirm(meeting, actor=staff_user)
    meetings.add_topic(meeting, title="夜间施工巡查")
    meetings.add_action_item(
        meeting, owner=unit, description="方案", due_on=date(2027, 3, 22), actor=staff_user
    )
    (row,) = client_for(leader_user).get("/api/v1/meetings/").json()["results"]
    assert row["number"] == meeting.number
    assert [a["title"] for a in row["agenda"]] == ["夜间施工巡查"]
    assert (
        row["action_items"][0]["owner"] == unit.label and row["action_items"][0]["overdue"] is False
    )


def test_a_liaison_reads_only_what_involves_the_own_unit(decided, region, liaison_user):
    services.raise_dispute(region=region, title="他", matter="他", origin=DisputeOrigin.STAFF)
    rows = client_for(liaison_user).get("/api/v1/disputes/").json()["results"]
    assert [r["id"] for r in rows] == [decided.pk]


@pytest.mark.parametrize("address", ["/api/v1/disputes/", "/api/v1/meetings/"])
def test_the_api_reads_only_and_only_for_accounts(address, users, decided):
    assert APIClient().get(address).status_code in (401, 403)
    detail = f"{address}{decided.pk}/" if "disputes" in address else address
    for user in users.values():
        client = client_for(user)
        assert client.get(address).status_code == 200
        for method in ("post", "put", "patch", "delete"):
            answer = getattr(client, method)(detail, {"title": "改"}, format="json")
            assert answer.status_code in (403, 404, 405), (user, method, answer.status_code)
    decided.refresh_from_db()
    assert decided.title == "噪音"
