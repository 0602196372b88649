from datetime import date

import pytest
from django.utils import timezone

from apps.disputes import selectors, services
from apps.disputes.models import DisputeOrigin, JurisdictionDispute, Position
from apps.disputes.workflow import DisputeStatus, Move
from tests.factories import RegionFactory, UnitFactory, UserFactory


@pytest.fixture
def dispute(region, matter, staff_user, unit, ecology_unit, returned_ticket):
    tickets = [returned_ticket(unit), returned_ticket(ecology_unit, reason="other")]
    return services.raise_dispute(
        region=region,
        title="夜间施工噪音由谁管",
        matter="夜间施工噪音扰民",
        origin=DisputeOrigin.RETURNED_TICKETS,
        raised_by=staff_user,
        item=matter,
        tickets=tickets,
    )


def test_disputes_are_numbered_per_year(dispute, region, staff_user):
    year = timezone.localtime().year
    assert dispute.number == f"争议〔{year}〕001"
    second = services.raise_dispute(
        region=region, title="二", matter="二", origin=DisputeOrigin.STAFF, raised_by=staff_user
    )
    assert second.number == f"争议〔{year}〕002"
    earlier = services.raise_dispute(
        region=region,
        title="旧",
        matter="旧",
        origin=DisputeOrigin.STAFF,
        now=timezone.now().replace(year=year - 1),
    )
    assert earlier.number == f"争议〔{year - 1}〕001"


def test_raising_involves_the_units_that_held_or_returned_the_tickets(
    dispute, unit, ecology_unit, matter
):
    assert set(dispute.parties.values_list("unit_id", flat=True)) == {unit.pk, ecology_unit.pk}
    assert dispute.item_code == "H2P-007" and dispute.diversion_item == matter
    assert dispute.evidence.count() == 2
    assert dispute.status == DisputeStatus.RAISED
    assert [e.move for e in dispute.events.all()] == ["raised", "evidence"]


def test_evidence_summary_counts_per_unit_month_and_reason(dispute, unit, ecology_unit):
    summary = selectors.evidence_summary(dispute)
    assert summary["tickets"] == 2
    assert sum(n for _month, n in summary["per_month"]) == 2
    returned = {label: r for label, _held, r in summary["per_unit"]}
    assert returned == {unit.label: 1, ecology_unit.label: 1}
    assert dict(summary["reasons"]) == {"不属于本单位职责": 1, "其他": 1}


def test_adding_the_same_evidence_twice_adds_it_once(dispute, staff_user):
    tickets = [e.ticket for e in dispute.evidence.select_related("ticket")]
    assert services.add_evidence(dispute=dispute, tickets=tickets, actor=staff_user) == 0
    assert dispute.evidence.count() == 2


def test_liaison_states_only_the_own_units_position(dispute, unit, ecology_unit, liaison_user):
    party = services.record_position(
        dispute=dispute,
        unit=unit,
        position=Position.DECLINES,
        statement="施工噪音属生态环境部门",
        actor=liaison_user,
    )
    assert party.position == Position.DECLINES and party.recorded_by == liaison_user
    with pytest.raises(services.DisputeRefused):
        services.record_position(
            dispute=dispute, unit=ecology_unit, position=Position.CLAIMS, actor=liaison_user
        )
    assert dispute.parties.get(unit=ecology_unit).position == Position.NOT_STATED


def test_the_workflow_refuses_moves_out_of_order(dispute, staff_user, unit):
    with pytest.raises(services.DisputeRefused, match=r"不能|not possible"):
        services._move(dispute, Move.IMPLEMENT, actor=staff_user)
    dispute = services.start_consultation(dispute, actor=staff_user, note="约谈两家")
    assert dispute.status == DisputeStatus.IN_CONSULTATION
    with pytest.raises(services.DisputeRefused):
        services.start_consultation(dispute, actor=staff_user)
    assert dispute.events.filter(move=Move.CONSULT).count() == 1


def test_decision_names_lead_and_co_units_of_the_region(dispute, staff_user, unit, ecology_unit):
    services.start_consultation(dispute, actor=staff_user)
    far_away = UnitFactory(
        region=RegionFactory(name="晋城市", division_code="140500"), name="外地局"
    )
    with pytest.raises(services.DisputeRefused) as refused:
        services.decide(
            dispute,
            lead_unit=far_away,
            co_units=[far_away],
            handling_norm="",
            effective_date=date(2027, 1, 1),
            actor=staff_user,
        )
    assert set(refused.value.message_dict) == {"lead_unit", "co_units", "handling_norm"}
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.IN_CONSULTATION and dispute.lead_unit is None

    decided = services.decide(
        dispute,
        lead_unit=ecology_unit,
        co_units=[unit],
        handling_norm="生态环境局主办，住建局协办，2小时内到场",
        effective_date=date(2027, 1, 1),
        actor=staff_user,
    )
    assert decided.status == DisputeStatus.DECIDED
    assert decided.lead_unit == ecology_unit and list(decided.co_units.all()) == [unit]
    assert decided.decided_by == staff_user and not decided.is_undecided
    # Decided: positions are closed.
    with pytest.raises(services.DisputeRefused):
        services.record_position(
            dispute=decided, unit=unit, position=Position.CLAIMS, actor=staff_user
        )


def test_withdrawal_needs_a_reason(dispute, staff_user):
    with pytest.raises(services.DisputeRefused):
        services.withdraw(dispute, actor=staff_user, reason="  ")
    withdrawn = services.withdraw(dispute, actor=staff_user, reason="系重复登记")
    assert withdrawn.status == DisputeStatus.WITHDRAWN and withdrawn.closing_note == "系重复登记"


def test_merging_carries_units_and_evidence_over(dispute, region, staff_user, unit):
    other = services.raise_dispute(
        region=region,
        title="施工噪音",
        matter="施工噪音",
        origin=DisputeOrigin.UNIT,
        raised_by_unit=UnitFactory(region=region, name="区住建局"),
    )
    with pytest.raises(services.DisputeRefused):
        services.merge(dispute, into=dispute, actor=staff_user)
    services.merge(other, into=dispute, actor=staff_user, note="同一事项")
    other.refresh_from_db()
    assert other.status == DisputeStatus.MERGED and other.merged_into == dispute
    assert dispute.parties.count() == 3
    # A merged dispute takes nothing more.
    with pytest.raises(services.DisputeRefused):
        services.merge(dispute, into=other, actor=staff_user)


def test_liaison_sees_only_disputes_of_the_own_unit(dispute, region, liaison_user):
    services.raise_dispute(region=region, title="他", matter="他", origin=DisputeOrigin.STAFF)
    assert list(JurisdictionDispute.objects.visible_to(liaison_user)) == [dispute]
    outsider = UserFactory(username="outsider", role="成员单位联络员", unit=UnitFactory())
    assert not JurisdictionDispute.objects.visible_to(outsider).exists()
