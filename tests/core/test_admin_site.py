"""Rules of the office's admin site that hold for every list, including library ones."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from apps.core.admin_site import DeclaredFiltersOnly
from apps.tickets.ingest import ingest


@pytest.fixture
def ticket(unit):
    data = {
        "external_id": "FILTER-1",
        "region": unit.region.division_code,
        "received_at": timezone.now(),
        "channel": "phone",
        "transfer_method": "one_key",
        "urgency": "general",
        "unit": unit.pk,
        "summary": "测试",
        "caller_phone": "13812345678",
    }
    (result,) = ingest([data], platform="12345")
    return result.ticket


@pytest.mark.parametrize("role", ["staff", "leader", "liaison"])
def test_caller_phone_cannot_be_probed_through_the_list(client, users, ticket, role):
    client.force_login(users[role])
    url = reverse("admin:tickets_ticket_changelist")
    for query in (
        {"id": ticket.pk, "caller_phone__startswith": "138"},
        {"caller_phone": "13812345678"},
        {"summary__contains": "测"},
        {"id": ticket.pk},
    ):
        response = client.get(url, query)
        assert response.status_code == 400, query


def test_declared_filters_still_filter(client, users, ticket):
    client.force_login(users["staff"])
    url = reverse("admin:tickets_ticket_changelist")
    response = client.get(url, {"status__exact": "transferred", "unit__id__exact": ticket.unit_id})
    assert list(response.context["cl"].result_list) == [ticket]
    assert client.get(url, {"overdue": "yes"}).status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("directory_contact_changelist", {"mobile__startswith": "138"}),
        ("directory_unit_changelist", {"duty_phone__startswith": "0"}),
        ("accounts_user_changelist", {"password__startswith": "pbkdf2"}),
        ("notices_notice_changelist", {"body__contains": "x"}),
    ],
)
def test_undeclared_lookups_refused_on_every_list(client, users, name, query):
    client.force_login(users["staff"])
    assert client.get(reverse(f"admin:{name}"), query).status_code == 400


def test_every_registered_admin_follows_the_site_rules():
    offenders = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, DeclaredFiltersOnly)
    ]
    assert offenders == []
