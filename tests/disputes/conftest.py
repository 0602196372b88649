from datetime import timedelta

import pytest
from django.utils import timezone

from apps.diversion.services import publish
from apps.tickets import services as tickets
from apps.tickets.lifecycle import EventType
from tests.factories import DiversionItemFactory, DiversionListFactory, UnitFactory


@pytest.fixture
def matter(region, staff_user):
    """An item of the region's published list: 噪音扰民, led by the police."""
    draft = DiversionListFactory(region=region)
    item = DiversionItemFactory(diversion_list=draft, item_code="H2P-007", matter="夜间施工噪音")
    publish(draft, approved_by=staff_user, effective_from=timezone.now() - timedelta(days=60))
    item.refresh_from_db()
    return item


@pytest.fixture
def ecology_unit(region):
    return UnitFactory(region=region, name="市生态环境局")


@pytest.fixture
def returned_ticket(make_ticket, matter, staff_user):
    """A ticket of the matter, received, then returned by its unit with a reason."""

    def make(unit, *, reason="not_our_duty", days_ago=1):
        ticket = make_ticket(
            unit=unit,
            diversion_item=matter.item_code,
            received_at=timezone.now() - timedelta(days=days_ago),
        )
        tickets.record_event(
            ticket,
            EventType.RETURNED,
            timezone.now(),
            actor=staff_user,
            reason_code=reason,
            reason_text="不属于本单位职责",
        )
        ticket.refresh_from_db()
        return ticket

    return make
