"""A decision carried into the diversion list, and the tickets that wait re-routed."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.disputes import implementation, services
from apps.disputes.models import DisputeOrigin
from apps.disputes.workflow import DisputeStatus
from apps.diversion.models import DiversionList, ListStatus
from apps.diversion.services import publish
from apps.tickets import services as tickets
from apps.tickets.lifecycle import EventType, Status
from apps.tickets.models import TicketEvent


@pytest.fixture
def decided(region, matter, staff_user, unit, ecology_unit, returned_ticket):
    dispute = services.raise_dispute(
        region=region,
        title="夜间施工噪音",
        matter="夜间施工噪音扰民",
        origin=DisputeOrigin.RETURNED_TICKETS,
        item=matter,
        tickets=[returned_ticket(unit)],
    )
    services.start_consultation(dispute, actor=staff_user)
    return services.decide(
        dispute,
        lead_unit=ecology_unit,
        co_units=[unit],
        handling_norm="生态环境局主办，住建局协办",
        effective_date=date(2027, 1, 1),
        actor=staff_user,
    )


def test_the_draft_carries_the_decision_and_publishing_implements_it(
    decided, matter, staff_user, ecology_unit, unit
):
    draft = implementation.open_draft(decided, actor=staff_user)
    assert draft.status == ListStatus.DRAFT and draft.based_on == matter.diversion_list
    item = draft.items.get(item_code=matter.item_code)
    assert item.lead_unit == ecology_unit and list(item.co_units.all()) == [unit]
    assert "生态环境局主办，住建局协办" in item.notes and decided.number in draft.change_note
    # Opening it again is the same draft.
    assert implementation.open_draft(decided, actor=staff_user) == draft
    publish(draft, approved_by=staff_user)
    decided.refresh_from_db()
    assert decided.status == DisputeStatus.IMPLEMENTED and decided.implemented_in == draft
    # The old version is untouched: it is the record of what was in force.
    matter.refresh_from_db()
    assert matter.lead_unit != ecology_unit


def test_a_matter_the_list_lacks_is_added_with_its_direction(region, staff_user, ecology_unit):
    dispute = services.raise_dispute(
        region=region, title="共享单车乱停", matter="共享单车乱停放", origin=DisputeOrigin.STAFF
    )
    services.start_consultation(dispute, actor=staff_user)
    services.decide(
        dispute,
        lead_unit=ecology_unit,
        handling_norm="主办",
        effective_date=date(2027, 1, 1),
        actor=staff_user,
    )
    with pytest.raises(services.DisputeRefused):
        implementation.open_draft(dispute, actor=staff_user)
    assert not DiversionList.objects.exists()  # nothing half-made
    draft = implementation.open_draft(
        dispute, actor=staff_user, direction="police_to_hotline", category="城市管理类"
    )
    item = draft.items.get()
    assert item.matter == "共享单车乱停放" and item.item_code.startswith("P2H-")
    dispute.refresh_from_db()
    assert dispute.item_code == item.item_code


def test_an_undecided_dispute_opens_no_draft(region, staff_user, matter):
    dispute = services.raise_dispute(
        region=region, title="x", matter="x", origin=DisputeOrigin.STAFF, item=matter
    )
    with pytest.raises(services.DisputeRefused):
        implementation.open_draft(dispute, actor=staff_user)


def test_waiting_tickets_are_re_routed_to_the_lead_unit_in_one_action(
    client, decided, staff_user, make_ticket, matter, unit, ecology_unit, returned_ticket
):
    unsigned = make_ticket(unit=unit, diversion_item=matter.item_code)
    signed = make_ticket(unit=unit, diversion_item=matter.item_code)

    tickets.record_event(signed, EventType.SIGNED, timezone.now(), actor=staff_user)
    already = make_ticket(unit=ecology_unit, diversion_item=matter.item_code)
    movable, staying = implementation.waiting_tickets(decided)
    assert {t.pk for t in movable} == {unsigned.pk, decided.evidence.get().ticket_id}
    assert [t.pk for t in staying] == [signed.pk] and already.pk not in {t.pk for t in movable}

    client.force_login(staff_user)
    url = reverse("admin:disputes_jurisdictiondispute_reroute", args=[decided.pk])
    page = client.get(url).content.decode()
    assert unsigned.external_id in page and signed.external_id in page
    assert client.post(url).status_code == 302
    unsigned.refresh_from_db()
    assert unsigned.unit == ecology_unit and unsigned.status == Status.TRANSFERRED
    assert unsigned.routing_round == 2 and list(unsigned.co_units.all()) == [unit]
    assert TicketEvent.objects.filter(ticket=unsigned, type=EventType.REROUTED).exists()
    signed.refresh_from_db()
    assert signed.unit == unit  # being handled: left where it is
    assert implementation.waiting_tickets(decided)[0] == []
