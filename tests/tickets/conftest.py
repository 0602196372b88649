from datetime import datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.directory.models import ContactRole
from apps.tickets.ingest import ingest
from tests.factories import ContactFactory, UnitFactory, UserFactory

_numbers = count(1)


def local(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def police(region):
    """A tier-1 unit with a liaison and a leader who have email addresses."""
    unit = UnitFactory(region=region, name="市公安局", linkage_tier=1, kind="police")
    ContactFactory(unit=unit, role=ContactRole.LIAISON, name="王联络", email="wang@example.com")
    ContactFactory(unit=unit, role=ContactRole.LEADER, name="李局长", email="li@example.com")
    return unit


@pytest.fixture
def tier3_unit(region):
    return UnitFactory(region=region, name="市发改委", linkage_tier=3)


@pytest.fixture
def make_ticket(region, police):
    """Receive a ticket through the same path as the API."""

    def make(*, platform="12345", **fields):
        data = {
            "external_id": f"GD{next(_numbers):08d}",
            "region": region.division_code,
            "received_at": timezone.now(),
            "channel": "phone",
            "transfer_method": "one_key",
            "urgency": "general",
            "unit": police.pk,
            "summary": "小区里有人遛狗不牵绳",
            "caller_phone": "13812345678",
            "needs_on_site": None,
            "restriction": "",
        }
        data.update(fields)
        if hasattr(data["unit"], "pk"):
            data["unit"] = data["unit"].pk
        (result,) = ingest([data], platform=platform)
        assert not result.errors, result.errors
        return result.ticket

    return make


def platform_client(platform):
    """An API client signed in as the platform's client account."""
    client = APIClient()
    client.force_authenticate(
        UserFactory(username=f"p{platform}", role=Role.PLATFORM, is_staff=False, platform=platform)
    )
    return client


@pytest.fixture
def hotline(db):
    return platform_client("12345")


@pytest.fixture
def police_desk(db):
    return platform_client("110")


@pytest.fixture
def body(region, police):
    return {
        "external_id": "GD2026000001",
        "region": region.division_code,
        "received_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "channel": "phone",
        "transfer_method": "one_key",
        "urgency": "urgent",
        "unit": police.pk,
        "summary": "小区门口有人打架",
        "caller_phone": "13812345678",
        "restricted": False,
    }
