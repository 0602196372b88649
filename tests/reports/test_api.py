"""The figures API: the dashboard's and the workbook's numbers, for staff and leadership."""

import pytest
from rest_framework.test import APIClient

from apps.reports import rollups


@pytest.fixture
def api():
    return APIClient()


def figures(api, user, **params):
    api.force_authenticate(user)
    return api.get("/api/v1/reports/figures", params)


def test_the_figures_of_the_hand_worked_week(api, week, region, leader_user):
    rollups.refresh_changed()
    answer = figures(
        api, leader_user, region=region.division_code, start="2026-11-01", end="2026-11-30"
    )
    assert answer.status_code == 200, answer.content
    values = {f["key"]: f["value"] for f in answer.json()["figures"]}
    assert values["received"] == 4 and values["completed"] == 3 and values["late"] == 2
    assert values["response_rate"] == 0.5 and values["satisfaction_rate"] == pytest.approx(0.95)
    assert values["arrive_on_time"] is None
    assert answer.json()["scheme"]["name"] == "默认考核方案"


def test_only_staff_and_leadership_read_them(api, week, region, users):
    for role in ("liaison", "platform"):
        answer = figures(
            api, users[role], region=region.division_code, start="2026-11-01", end="2026-11-30"
        )
        assert answer.status_code == 403, role
    api.force_authenticate(None)
    assert api.get("/api/v1/reports/figures").status_code in (401, 403)
    answer = figures(
        api, users["staff"], region=region.division_code, start="2026-11-01", end="2026-11-30"
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"region": "999999", "start": "2026-11-01", "end": "2026-11-30"}, "region"),
        ({"region": "320600", "start": "2026-11-31", "end": "2026-11-30"}, "start"),
        ({"region": "320600", "start": "2026-11-30", "end": "2026-11-01"}, "end"),
        ({"region": "320600", "start": "2020-01-01", "end": "2026-11-01"}, "end"),
        ({"region": "320600", "start": "2026-11-01", "end": "2026-11-30", "unit": "1"}, "unit"),
        ({"region": "320600"}, "start"),
    ],
)
def test_a_bad_query_is_a_400_naming_what_is_wrong(api, region, staff_user, params, named):
    answer = figures(api, staff_user, **params)
    assert answer.status_code == 400
    assert named in answer.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_figures_are_read_only_for_everyone(api, week, region, users, method):
    for user in [*users.values(), None]:
        api.force_authenticate(user)
        answer = getattr(api, method)("/api/v1/reports/figures", {"region": region.division_code})
        assert answer.status_code in (401, 403, 405), (user, method, answer.status_code)
