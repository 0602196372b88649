from datetime import timedelta

import pytest
from django.utils import timezone

from apps.disputes import detection, services
from apps.disputes.models import DisputePolicy, DisputeProposal, ProposalStatus
from apps.disputes.workflow import DisputeStatus
from apps.notices.models import Notice, NoticeKind
from apps.tickets import services as tickets
from apps.tickets.lifecycle import EventType
from tests.factories import UnitFactory


@pytest.fixture
def twice_returned(returned_ticket, unit, ecology_unit):
    """Two units returned tickets of the matter within the period."""
    return [returned_ticket(unit), returned_ticket(ecology_unit)]


def test_a_matter_returned_by_two_units_is_proposed_once(twice_returned, staff_user, matter):
    (proposal,) = detection.detect()
    assert proposal.item_code == matter.item_code and proposal.diversion_item == matter
    assert proposal.returning_units == 2 and proposal.evidence_count == 2
    assert set(proposal.tickets.all()) == set(twice_returned)
    # Staff hear of it once, in their inbox.
    notice = Notice.objects.get(kind=NoticeKind.DISPUTE)
    assert matter.item_code in notice.body and notice.recipients.filter(user=staff_user).exists()
    # A second run (a duplicate beat tick) proposes nothing more and says nothing more.
    assert detection.detect() == []
    assert DisputeProposal.objects.count() == 1
    assert Notice.objects.filter(kind=NoticeKind.DISPUTE).count() == 1


def test_one_unit_returning_is_not_a_dispute(returned_ticket, unit):
    returned_ticket(unit)
    returned_ticket(unit)
    assert detection.detect() == []


def test_the_period_and_the_thresholds_are_the_offices(returned_ticket, unit, ecology_unit):
    returned_ticket(unit, days_ago=40)
    returned_ticket(ecology_unit, days_ago=1)
    assert detection.detect() == []  # 30 days by default: one unit only
    DisputePolicy.objects.filter(pk=1).update(detection_period_days=60)
    assert len(detection.detect()) == 1


def test_re_routed_more_than_n_times_is_proposed(returned_ticket, unit, ecology_unit, staff_user):
    ticket = returned_ticket(unit)
    third = UnitFactory(region=unit.region, name="区城管局")
    for target in (ecology_unit, third):
        ticket = tickets.reroute(ticket, target, actor=staff_user)
        tickets.record_event(
            ticket, EventType.RETURNED, timezone.now(), actor=staff_user, reason_code="other"
        )
    tickets.reroute(ticket, unit, actor=staff_user)
    DisputePolicy.objects.filter(pk=1).update(min_returning_units=10)
    (proposal,) = detection.detect()
    assert proposal.reroutes == 3 and proposal.returning_units == 3


def test_confirming_raises_a_dispute_with_the_tickets_as_evidence(twice_returned, staff_user):
    (proposal,) = detection.detect()
    dispute = detection.confirm(proposal, actor=staff_user)
    assert dispute.origin == "detection" and dispute.evidence.count() == 2
    assert dispute.parties.count() == 2
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED and proposal.dispute == dispute
    # A second confirmation (a double click, a second tab) raises nothing.
    assert detection.confirm(proposal, actor=staff_user) is None
    # While the dispute is open, the matter is not proposed again.
    assert detection.detect() == []


def test_a_dismissed_matter_returns_only_when_its_evidence_doubles(
    twice_returned, staff_user, returned_ticket, unit, ecology_unit
):
    (proposal,) = detection.detect()
    with pytest.raises(services.DisputeRefused):
        detection.dismiss(proposal, actor=staff_user, reason=" ")
    assert detection.dismiss(proposal, actor=staff_user, reason="属个案，非职责不清")
    returned_ticket(unit)
    assert detection.detect() == []  # 3 tickets: not yet twice the 2 dismissed
    returned_ticket(ecology_unit)
    (again,) = detection.detect()
    assert again.evidence_count == 4


def test_a_matter_is_proposed_again_after_its_dispute_ended(twice_returned, staff_user):
    (proposal,) = detection.detect()
    dispute = detection.confirm(proposal, actor=staff_user)
    services.withdraw(dispute, actor=staff_user, reason="误报")
    assert dispute.__class__.objects.get(pk=dispute.pk).status == DisputeStatus.WITHDRAWN
    assert len(detection.detect(now=timezone.now() + timedelta(minutes=1))) == 1
