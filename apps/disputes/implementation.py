"""From a decision to the diversion list and the tickets that wait.

Staff open a draft of the region's list with the decided item changed (or added); they
publish it through the lists' normal workflow, and on publication the dispute becomes
implemented and links to that version. The open tickets of the matter still with
another unit are then listed for staff to re-route to the lead unit in one action.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.diversion import services as lists
from apps.diversion.models import DiversionItem, DiversionList
from apps.tickets import services as tickets
from apps.tickets.lifecycle import OPEN_STATUSES, REROUTABLE_STATUSES, Status

from . import selectors
from .models import JurisdictionDispute
from .services import DisputeRefused, _event, _move
from .workflow import DisputeStatus, Move


@transaction.atomic
def open_draft(
    dispute: JurisdictionDispute, *, actor, direction: str = "", category: str = ""
) -> DiversionList:
    """A draft of the region's list carrying the decision: the item's lead and co-units
    as decided and the handling norm in its notes. An item the list lacks is added (its
    direction and category are then needed). Opening it again returns the same draft."""
    dispute = JurisdictionDispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status != DisputeStatus.DECIDED:
        raise DisputeRefused(_("Only a decided dispute is carried into the diversion list."))
    if dispute.draft_list_id and dispute.draft_list.is_draft:
        return dispute.draft_list
    current = DiversionList.objects.in_force().filter(region=dispute.region).first()
    note = _("Changed by the decision on %(number)s.") % {"number": dispute.number}
    if current is None:
        draft = lists.create_draft(
            dispute.region,
            title=_("%(region)s diversion list") % {"region": dispute.region.name},
            change_note=note,
        )
    else:
        draft = lists.new_version(current)
        draft.change_note = note
        draft.save(update_fields=["change_note"])
    item = draft.items.filter(item_code=dispute.item_code).first() if dispute.item_code else None
    if item is None:
        if not (direction and category):
            raise DisputeRefused(
                {
                    "direction": [_("The list has no item of this matter: give its direction.")],
                    "category": [_("… and its category.")],
                }
            )
        item = DiversionItem(
            diversion_list=draft,
            direction=direction,
            category=category,
            matter=dispute.matter,
            order=draft.items.count() + 1,
        )
    item.lead_unit = dispute.lead_unit
    norm = _("Handling norm (%(number)s): %(norm)s") % {
        "number": dispute.number,
        "norm": dispute.handling_norm,
    }
    item.notes = f"{item.notes}\n{norm}".strip() if item.notes else norm
    lists.save_item(item)
    item.co_units.set(dispute.co_units.all())
    dispute.draft_list = draft
    if not dispute.item_code:
        dispute.item_code = item.item_code
    dispute.save(update_fields=["draft_list", "item_code"])
    _event(dispute, "draft", actor=actor, note=str(draft))
    return draft


def implemented_by(*, diversion_list: DiversionList, **_kwargs) -> None:
    """A receiver of ``list_published``: the disputes whose draft this was are done."""
    for dispute in JurisdictionDispute.objects.filter(
        draft_list=diversion_list, status=DisputeStatus.DECIDED
    ):
        _move(
            dispute,
            Move.IMPLEMENT,
            actor=diversion_list.approved_by,
            note=str(diversion_list),
            implemented_in=diversion_list,
            implemented_at=timezone.now(),
        )


def waiting_tickets(dispute: JurisdictionDispute):
    """Open or returned tickets of the matter not with the lead unit, as (may be
    re-routed now, the others: signed, on site or replied, which stay with their unit)."""
    if not (dispute.lead_unit_id and dispute.item_code):
        return [], []
    found = list(
        selectors.matter_tickets(region_id=dispute.region_id, item_code=dispute.item_code)
        .filter(status__in=[*OPEN_STATUSES, Status.RETURNED])
        .exclude(unit_id=dispute.lead_unit_id)
        .select_related("unit__region")
        .order_by("received_at")
    )
    movable = [t for t in found if t.status in REROUTABLE_STATUSES]
    return movable, [t for t in found if t.status not in REROUTABLE_STATUSES]


def reroute_waiting(dispute: JurisdictionDispute, *, actor) -> tuple[int, list[str]]:
    """Re-route every waiting ticket that may be to the lead unit with the co-units, with
    fresh deadlines (the tickets' own re-routing). Returns (done, problems)."""
    if dispute.status not in (DisputeStatus.DECIDED, DisputeStatus.IMPLEMENTED):
        raise DisputeRefused(_("Tickets are re-routed once the dispute is decided."))
    movable, _staying = waiting_tickets(dispute)
    co_units = list(dispute.co_units.all())
    done, problems = 0, []
    for ticket in movable:
        try:
            tickets.reroute(ticket, dispute.lead_unit, actor=actor, co_units=co_units)
            done += 1
        except ValidationError as exc:  # it moved on meanwhile (signed, say)
            problems.append(f"{ticket.external_id}: {exc.messages[0]}")
    if done:
        _event(dispute, "rerouted", actor=actor, note=_("%(n)d ticket(s)") % {"n": done})
    return done, problems
