"""Each person's home page opens with the figures of their day's work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.diversion import services as diversion
from apps.tickets import supervision
from apps.tickets.home import figures
from tests.factories import UserFactory


@pytest.fixture
def liaison(police):
    return UserFactory(username="police-liaison", role=Role.LIAISON, unit=police)


def by_label(found):
    return {str(f.label): f.count for f in found}


def test_a_liaison_sees_the_own_units_work(liaison, staff_user, make_ticket, tier3_unit):
    now = timezone.now()
    overdue = make_ticket(urgency="urgent", received_at=now - timedelta(hours=1))
    make_ticket(received_at=now)  # awaiting signature, not due yet
    make_ticket(unit=tier3_unit)  # another unit's: not counted
    soon = make_ticket(urgency="urgent", received_at=now - timedelta(minutes=26))
    supervision.scan_overdue(now)  # notices for the overdue one, a warning for the other
    assert soon.supervision_notices.filter(level="warning").exists()
    mine = by_label(figures(liaison))
    assert mine["待签收"] == 3
    assert mine["已超期"] == 1 and mine["即将超期"] == 1
    assert mine["未确认督办"] == overdue.supervision_notices.exclude(level="warning").count() > 0
    assert mine["待确认联系人"] == 0  # the police contacts were just confirmed
    assert "清单草稿" not in mine


def test_staff_see_every_unit_and_the_draft_lists(staff_user, make_ticket, tier3_unit, region):
    make_ticket()
    make_ticket(unit=tier3_unit)
    diversion.create_draft(region, title="草稿")
    mine = by_label(figures(staff_user))
    assert mine["待签收"] == 2 and mine["清单草稿"] == 1


def test_the_home_page_shows_them_and_links_each_to_its_list(client, liaison, make_ticket):
    make_ticket()
    client.force_login(liaison)
    page = client.get(reverse("admin:index")).content.decode()
    assert "home-figure" in page and "待签收" in page
    assert reverse("admin:tickets_ticket_changelist") + "?status__exact=transferred" in page
    soon = client.get(reverse("admin:tickets_ticket_changelist") + "?overdue=soon")
    assert soon.status_code == 200


def test_a_platform_account_has_no_figures(db):
    assert figures(UserFactory(role=Role.PLATFORM, platform="12345")) == []


def test_the_home_page_costs_a_bounded_number_of_queries(
    client, staff_user, make_ticket, django_assert_max_num_queries
):
    for _n in range(5):
        make_ticket()
    client.force_login(staff_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:index"))
