from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from tests.factories import UnitFactory, UserFactory


def local(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def tier3_unit(region):
    return UnitFactory(region=region, name="市发改委", linkage_tier=3)


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
