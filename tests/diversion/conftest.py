import pytest

from apps.diversion.models import DiversionList


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def nantong(reference_data):
    return DiversionList.objects.get(region__division_code="320600")
