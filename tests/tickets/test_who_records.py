"""Who may record a milestone: one rule (services.may_record), used by the admin and the API."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.tickets import services
from apps.tickets.models import TicketEvent
from tests.factories import UserFactory

T = TicketEvent.Type


@pytest.fixture
def people(police, tier3_unit):
    make = UserFactory
    return {
        "staff": make(username="s", role=Role.STAFF),
        "leader": make(username="l", role=Role.LEADERSHIP),
        "liaison": make(username="own", role=Role.LIAISON, unit=police),
        "co_liaison": make(username="co", role=Role.LIAISON, unit=tier3_unit),
        "source": make(username="p1", role=Role.PLATFORM, is_staff=False, platform="12345"),
        "other": make(username="p2", role=Role.PLATFORM, is_staff=False, platform="110"),
    }


@pytest.mark.parametrize(
    ("who", "event", "restricted", "allowed"),
    [
        ("staff", T.SIGNED, False, True),
        ("staff", T.RATED, True, True),
        ("leader", T.SIGNED, False, False),
        ("liaison", T.SIGNED, False, True),
        ("liaison", T.RETURNED, False, True),
        ("liaison", T.RATED, False, False),
        ("co_liaison", T.SIGNED, False, False),
        ("source", T.SIGNED, True, True),
        ("source", T.RATED, False, True),
        ("other", T.SIGNED, False, True),
        ("other", T.COMPLETED, False, True),
        ("other", T.RATED, False, False),
        ("other", T.SIGNED, True, False),
    ],
)
def test_may_record(make_ticket, people, tier3_unit, who, event, restricted, allowed):
    ticket = make_ticket(co_units=[tier3_unit.pk], restriction="case" if restricted else "")
    assert services.may_record(people[who], ticket, event) is allowed


def test_api_uses_the_rule(make_ticket, people):
    ticket = make_ticket()
    url = f"/api/v1/tickets/{ticket.pk}/events/"
    now = timezone.now().isoformat()
    api = APIClient()
    api.force_authenticate(people["other"])
    assert (
        api.post(
            url, {"type": "rated", "at": now, "rating": "satisfied"}, format="json"
        ).status_code
        == 403
    )
    assert api.post(url, {"type": "signed", "at": now}, format="json").status_code == 201
    api.force_authenticate(people["leader"])
    assert api.post(url, {"type": "replied", "at": now}, format="json").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "signed"


def test_admin_uses_the_rule(client, make_ticket, people, tier3_unit):
    ticket = make_ticket(co_units=[tier3_unit.pk])
    url = reverse("admin:tickets_ticket_act", args=[ticket.pk, "sign"])
    client.force_login(people["co_liaison"])  # a co-unit sees the ticket but does not sign it
    page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert page.status_code == 200 and url not in page.content.decode()
    assert client.post(url).status_code == 403
    client.force_login(people["liaison"])
    assert (
        url in client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    )
    client.post(url)
    ticket.refresh_from_db()
    assert ticket.status == "signed"
