import io
from itertools import count

import pytest
from django.utils import timezone

from apps.accounts.roles import Role
from apps.directory.models import ContactRole
from apps.tickets.ingest import ingest

from .factories import ContactFactory, RegionFactory, UnitFactory, UserFactory

_numbers = count(1)


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def unit(region):
    return UnitFactory(region=region, name="市住建局")


@pytest.fixture
def other_unit(region):
    return UnitFactory(region=region, name="市城管局")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", role=Role.STAFF)


@pytest.fixture
def liaison_user(unit):
    return UserFactory(username="liaison", role=Role.LIAISON, unit=unit)


@pytest.fixture
def leader_user(db):
    return UserFactory(username="leader", role=Role.LEADERSHIP)


@pytest.fixture
def platform_user(db):
    return UserFactory(username="platform", role=Role.PLATFORM, is_staff=False, platform="12345")


@pytest.fixture
def users(staff_user, liaison_user, leader_user, platform_user):
    return {
        "staff": staff_user,
        "liaison": liaison_user,
        "leader": leader_user,
        "platform": platform_user,
    }


@pytest.fixture
def reference_data(db):
    """The real reference data from fixtures/, loaded as `make demo` loads it."""
    from django.core.management import call_command

    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def police(region):
    """A tier-1 unit with a liaison and a leader who have email addresses."""
    unit = UnitFactory(region=region, name="市公安局", linkage_tier=1, kind="police")
    ContactFactory(unit=unit, role=ContactRole.LIAISON, name="王联络", email="wang@example.com")
    ContactFactory(unit=unit, role=ContactRole.LEADER, name="李局长", email="li@example.com")
    return unit


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
