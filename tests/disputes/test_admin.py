"""The dispute pages as staff and liaisons use them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.disputes import services
from apps.disputes.models import DisputeOrigin, JurisdictionDispute, Position
from apps.disputes.workflow import DisputeStatus, Move


def change_url(dispute):
    return reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk])


@pytest.fixture
def dispute(region, matter, staff_user, unit, ecology_unit, returned_ticket):
    return services.raise_dispute(
        region=region,
        title="夜间施工噪音由谁管",
        matter="夜间施工噪音扰民",
        origin=DisputeOrigin.RETURNED_TICKETS,
        raised_by=staff_user,
        item=matter,
        tickets=[returned_ticket(unit), returned_ticket(ecology_unit)],
    )


def test_staff_raise_a_dispute_with_units_and_ticket_numbers(
    client, staff_user, region, matter, unit, returned_ticket
):
    ticket = returned_ticket(unit)
    client.force_login(staff_user)
    form = {
        "region": region.pk,
        "title": "占道经营由谁管",
        "matter": "夜市摊贩占道",
        "diversion_item": matter.pk,
        "origin": DisputeOrigin.STAFF,
        "units": [unit.pk],
        "tickets": f"{ticket.external_id}\nGD-NONE-1, GD-NONE-2",
    }
    url = reverse("admin:disputes_jurisdictiondispute_add")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "GD-NONE-1、GD-NONE-2" in response.content.decode()
    assert not JurisdictionDispute.objects.exists()

    form["tickets"] = ticket.external_id
    response = client.post(url, form)
    assert response.status_code == 302
    dispute = JurisdictionDispute.objects.get()
    assert dispute.number.startswith("争议〔")
    assert dispute.raised_by == staff_user and dispute.item_code == matter.item_code
    assert list(dispute.evidence.values_list("ticket_id", flat=True)) == [ticket.pk]


def test_the_item_must_belong_to_the_regions_list(client, staff_user, matter, unit):
    from tests.factories import RegionFactory

    other = RegionFactory(name="晋城市", division_code="140500")
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:disputes_jurisdictiondispute_add"),
        {
            "region": other.pk,
            "title": "x",
            "matter": "x",
            "diversion_item": matter.pk,
            "origin": DisputeOrigin.STAFF,
        },
    )
    assert response.status_code == 200
    assert "不属于晋城市" in response.content.decode()
    assert not JurisdictionDispute.objects.exists()


def test_the_page_shows_interim_rule_positions_and_evidence(client, staff_user, dispute, unit):
    client.force_login(staff_user)
    page = client.get(change_url(dispute)).content.decode()
    assert "首接负责制" in page
    assert unit.label in page and "尚未表态" in page
    assert "依据：2 张工单" in page
    assert "不属于本单位职责 2" in page
    # The moves the status allows, and no others.
    assert reverse("admin:disputes_jurisdictiondispute_move", args=[dispute.pk, "consult"]) in page
    assert (
        reverse("admin:disputes_jurisdictiondispute_move", args=[dispute.pk, "decide"]) not in page
    )


def test_staff_move_and_decide_through_the_pages(client, staff_user, dispute, ecology_unit, unit):
    client.force_login(staff_user)
    move = reverse("admin:disputes_jurisdictiondispute_move", args=[dispute.pk, Move.CONSULT])
    assert client.post(move, {"note": "约两家会商"}).status_code == 302
    decide = reverse("admin:disputes_jurisdictiondispute_move", args=[dispute.pk, Move.DECIDE])
    response = client.post(decide, {"lead_unit": ecology_unit.pk})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    both = {"handling_norm": "生态环境局主办", "effective_date": "2027-01-01"}
    response = client.post(
        decide, {"lead_unit": ecology_unit.pk, "co_units": [ecology_unit.pk], **both}
    )
    assert response.status_code == 200
    assert "主办单位不能同时是协办单位" in response.content.decode()
    response = client.post(
        decide,
        {
            "lead_unit": ecology_unit.pk,
            "co_units": [unit.pk],
            "handling_norm": "生态环境局主办",
            "effective_date": "2027-01-01",
        },
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DECIDED and dispute.lead_unit == ecology_unit
    history = client.get(
        reverse("admin:disputes_jurisdictiondispute_history", args=[dispute.pk])
    ).content.decode()
    assert "开始会商" in history and "约两家会商" in history and "记录决定" in history


def test_a_move_the_status_does_not_allow_says_why(client, staff_user, dispute):
    client.force_login(staff_user)
    decide = reverse("admin:disputes_jurisdictiondispute_move", args=[dispute.pk, Move.DECIDE])
    response = client.post(
        decide,
        {
            "lead_unit": dispute.parties.first().unit_id,
            "handling_norm": "x",
            "effective_date": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert "现在不能“记录决定”" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RAISED


def test_liaison_states_the_own_units_position(client, liaison_user, dispute, unit, ecology_unit):
    client.force_login(liaison_user)
    page = client.get(change_url(dispute)).content.decode()
    own = reverse("admin:disputes_jurisdictiondispute_position", args=[dispute.pk, unit.pk])
    other = reverse(
        "admin:disputes_jurisdictiondispute_position", args=[dispute.pk, ecology_unit.pk]
    )
    assert own in page and other not in page
    assert "开始会商" not in page  # no moves for a liaison
    response = client.post(own, {"position": Position.SHARES, "statement": "可协助夜间执法"})
    assert response.status_code == 302
    party = dispute.parties.get(unit=unit)
    assert party.position == Position.SHARES and party.recorded_by == liaison_user
    assert client.post(other, {"position": Position.CLAIMS, "statement": "x"}).status_code == 403


def test_search_finds_a_dispute_by_its_number(client, staff_user, dispute, region):
    services.raise_dispute(region=region, title="另一", matter="另一", origin="staff")
    client.force_login(staff_user)
    year = timezone.localtime().year
    response = client.get(
        reverse("admin:disputes_jurisdictiondispute_changelist"), {"q": f"争议〔{year}〕001"}
    )
    assert list(response.context["cl"].result_list) == [dispute]


def test_staff_add_evidence_by_number(client, staff_user, dispute, unit, returned_ticket):
    ticket = returned_ticket(unit)
    client.force_login(staff_user)
    url = reverse("admin:disputes_jurisdictiondispute_evidence", args=[dispute.pk])
    assert (
        client.post(url, {"tickets": f"{ticket.external_id} {ticket.external_id}"}).status_code
        == 302
    )
    assert dispute.evidence.count() == 3


def test_tickets_of_a_disputed_matter_carry_the_interim_rule(
    client, staff_user, liaison_user, dispute, unit
):
    ticket = dispute.evidence.filter(ticket__unit=unit).get().ticket
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    client.force_login(liaison_user)
    page = client.get(url).content.decode()
    assert "ticket-flag" in page and dispute.number in page and "首接负责制" in page
    services.withdraw(dispute, actor=staff_user, reason="误报")
    assert "ticket-flag" not in client.get(url).content.decode()
