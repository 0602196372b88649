"""Failed sign-ins lock the account and the address; the API answers 429 past its rates."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

LOGIN = "admin:login"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse(LOGIN),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_logins_lock_the_account_and_staff_unlock_it(client, users):
    answers = [_login(client, "leader", "wrong").status_code for _attempt in range(3)]
    assert answers == [200, 200, 429]
    locked = _login(client, "leader", "pw")  # the right password, but locked
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address does not help: the account itself is locked.
    assert _login(client, "leader", "pw", ip="10.0.0.2").status_code == 429
    # Staff see the attempts and unlock by deleting them.
    staff = APIClient()
    staff.force_login(users["staff"])
    attempts = staff.get(reverse("admin:accounts_signinlock_changelist"))
    assert attempts.status_code == 200 and "leader" in attempts.content.decode()
    AccessAttempt.objects.filter(username="leader").delete()
    assert _login(client, "leader", "pw", ip="10.0.0.3").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_address_trying_many_accounts_is_locked(client, users):
    for name in ("a1", "a2", "a3"):
        _login(client, name, "wrong", ip="10.9.9.9")
    assert _login(client, "staff", "pw", ip="10.9.9.9").status_code == 429


def test_api_throttles_per_token_with_retry_after(settings, users):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "read": "3/min"}
    token = Token.objects.create(user=users["platform"])
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    answers = [api.get("/api/v1/tickets/").status_code for _n in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = api.get("/api/v1/tickets/")
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()
    other = APIClient()
    other.force_authenticate(users["staff"])  # another account has its own count
    assert other.get("/api/v1/tickets/").status_code == 200


def test_wrong_tokens_are_throttled_as_anonymous(settings, db):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "5/min"}
    api = APIClient(HTTP_AUTHORIZATION="Token " + "0" * 40)
    answers = {api.get("/api/v1/tickets/").status_code for _n in range(5)}
    assert answers == {401}
    assert api.get("/api/v1/tickets/").status_code == 429
