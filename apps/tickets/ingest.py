"""Receiving tickets from the platforms, one or a thousand at a time, with one code path.

References (region, unit, item, co-units) are resolved for the whole batch in a few
queries, deadlines come from one ``DeadlineBook``, and the rows are written in one
statement per table (``bulk_create``; on PostgreSQL ``apps.core.bulk.insert_rows``, the same
rows several times faster): so a single POST and a batch behave the same, and a batch
is fast.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.directory.models import Region, Unit
from apps.diversion.models import DiversionItem, DiversionList

from .deadlines import DeadlineBook
from .models import Ticket, TicketEvent
from .services import new_ticket


@dataclass
class IngestResult:
    ticket: Ticket | None = None
    created: bool = False
    errors: dict = field(default_factory=dict)


class References:
    """Regions, units and lists for a batch, each loaded once."""

    def __init__(self, items):
        codes = {i["region"] for i in items}
        self.regions = {
            r.division_code: r
            for r in Region.objects.filter(division_code__in=codes).select_related("parent")
        }
        unit_ids = {i["unit"] for i in items} | {u for i in items for u in i.get("co_units", ())}
        self.units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids, is_active=True)}
        # Only the items the batch names are read (a list has hundreds).
        self._codes = {i["diversion_item"] for i in items if i.get("diversion_item")}
        self._lists, self._items = {}, {}

    def lists_for(self, region):
        """Every non-draft list version of the region and its ancestors, nearest first."""
        if region.pk not in self._lists:
            lineage = region.lineage()
            versions = list(
                DiversionList.objects.filter(region__in=lineage).exclude(status="draft")
            )
            rank = {r.pk: n for n, r in enumerate(lineage)}
            self._lists[region.pk] = sorted(versions, key=lambda dl: rank[dl.region_id])
        return self._lists[region.pk]

    def item(self, diversion_list, code):
        if diversion_list.pk not in self._items:
            self._items[diversion_list.pk] = {
                i.item_code: i
                for i in DiversionItem.objects.filter(
                    diversion_list=diversion_list, item_code__in=self._codes
                )
            }
        return self._items[diversion_list.pk].get(code)

    def list_in_force(self, region, at):
        for version in self.lists_for(region):
            if version.effective_from <= at and (
                version.effective_to is None or at < version.effective_to
            ):
                return version
        return None


def _resolve(item, refs: References):
    """Ticket fields for one validated item, or the errors naming each bad field."""
    errors = {}
    region = refs.regions.get(item["region"])
    if region is None:
        errors["region"] = [
            _("No region has the division code %(code)s.") % {"code": item["region"]}
        ]
    unit = refs.units.get(item["unit"])
    if unit is None:
        errors["unit"] = [_("No active unit has the id %(id)s.") % {"id": item["unit"]}]
    elif region is not None and unit.region.division_code[:4] != region.division_code[:4]:
        errors["unit"] = [
            _("%(unit)s belongs to %(unit_region)s, not to %(region)s.")
            % {"unit": unit.name, "unit_region": unit.region.name, "region": region.name}
        ]
    co_units = [refs.units.get(pk) for pk in item.get("co_units", ())]
    if None in co_units:
        errors["co_units"] = [
            _("No active unit has one of the ids %(ids)s.")
            % {"ids": ", ".join(map(str, item["co_units"]))}
        ]
    diversion_list = diversion_item = None
    if region is not None:
        diversion_list = refs.list_in_force(region, item["received_at"])
        if item.get("diversion_item"):
            if diversion_list is not None:
                diversion_item = refs.item(diversion_list, item["diversion_item"])
            if diversion_item is None:
                errors["diversion_item"] = [
                    _("No item %(code)s in the diversion list in force at receipt.")
                    % {"code": item["diversion_item"]}
                ]
    if errors:
        return None, errors
    fields = {
        k: v for k, v in item.items() if k not in ("region", "unit", "co_units", "diversion_item")
    }
    return dict(
        fields,
        region=region,
        unit=unit,
        co_units=co_units,
        diversion_list=diversion_list,
        diversion_item=diversion_item,
    ), None


def ingest(items: list[dict], *, platform: str, actor=None) -> list[IngestResult]:
    """Create the tickets that are new; return the existing one for a known external id."""
    results = [IngestResult() for _item in items]
    existing = {
        t.external_id: t
        for t in Ticket.objects.filter(
            source_platform=platform, external_id__in=[i["external_id"] for i in items]
        )
    }
    refs, book = References(items), DeadlineBook()
    pending, first_of = [], {}
    for index, item in enumerate(items):
        known = existing.get(item["external_id"])
        if known is not None:
            results[index].ticket = known
            continue
        if item["external_id"] in first_of:
            # The same ticket twice in one batch: both answers point at one ticket.
            pending.append((index, first_of[item["external_id"]]))
            continue
        fields, errors = _resolve(item, refs)
        if errors:
            results[index].errors = errors
            continue
        first_of[item["external_id"]] = index
        ticket = new_ticket(book=book, source_platform=platform, **fields)
        results[index].ticket, results[index].created = ticket, True
    new = [r for r in results if r.created]
    if new:
        try:
            _save(new, platform, actor)
        except IntegrityError:
            # Another request created some of these meanwhile: take them one by one.
            _one_by_one(items, results, platform, actor)
    for index, first in pending:
        results[index].ticket = results[first].ticket
    return results


@transaction.atomic
def _save(new, platform, actor):
    tickets = _create_tickets([r.ticket for r in new])
    recorded = timezone.now()
    insert_rows(
        TicketEvent,
        [
            {
                "ticket_id": t.pk,
                "type": TicketEvent.Type.CREATED,
                "at": t.received_at,
                "unit_id": t.unit_id,
                "actor_id": actor.pk if actor else None,
                "platform": platform,
                "data": {},
                "recorded_at": recorded,
            }
            for t in tickets
        ],
    )
    through = Ticket.co_units.through
    insert_rows(
        through, [{"ticket_id": t.pk, "unit_id": u.pk} for t in tickets for u in t._co_units]
    )


TICKET_COLUMNS = [f.attname for f in Ticket._meta.concrete_fields if not f.primary_key]


def _create_tickets(tickets):
    """``bulk_create``, through ``insert_rows`` (several times faster on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return Ticket.objects.bulk_create(tickets)
    now = timezone.now()
    for ticket in tickets:
        ticket.created_at = now  # auto_now_add, as bulk_create would stamp it
    ids = insert_rows(Ticket, [{n: t.__dict__[n] for n in TICKET_COLUMNS} for t in tickets])
    for ticket, pk in zip(tickets, ids, strict=True):
        ticket.pk = pk
        ticket._state.adding, ticket._state.db = False, connection.alias
    return tickets


def _one_by_one(items, results, platform, actor):
    for index, item in enumerate(items):
        if not results[index].created:
            continue
        try:
            with transaction.atomic():
                _save([results[index]], platform, actor)
        except IntegrityError:
            results[index].ticket = Ticket.objects.get(
                source_platform=platform, external_id=item["external_id"]
            )
            results[index].created = False
