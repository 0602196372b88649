import io

import pytest

from apps.accounts.roles import Role

from .factories import RegionFactory, UnitFactory, UserFactory


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
