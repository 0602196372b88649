"""API addresses that name nothing answer JSON 404 to everyone, GET and POST alike."""

import pytest
from rest_framework.test import APIClient

from tests.database import fingerprint

ADDRESSES = [
    "/api/v1/nothing/",
    "/api/v1/tickets/abc/",
    "/api/v1/tickets/abc/events/",
    "/api/v1/tickets/99999999999999999999/events/",
    "/api/v1/directory/units/1.5/",
    "/api/v2/",
]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("role", ["anonymous", "staff", "liaison", "leader", "platform"])
def test_unknown_api_addresses(users, role, address):
    client = APIClient(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(users[role])  # a session, so CSRF would apply if it could
    before = fingerprint()
    for method in ("get", "post"):
        response = getattr(client, method)(address, {"type": "signed"}, format="json")
        assert response.status_code == 404, (method, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    assert fingerprint() == before
