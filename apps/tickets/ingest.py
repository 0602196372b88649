"""Receiving tickets from the platforms, one or a thousand at a time, with one code path.

References (region, unit, item, co-units) are resolved in memory against a snapshot of the
reference data, deadlines come from one ``DeadlineBook`` (both kept per process for
``TICKET_INTAKE_CACHE_SECONDS``), and the rows are written in one
statement per table (``bulk_create``; on PostgreSQL ``apps.core.bulk.insert_rows``, the same
rows several times faster): so a single POST and a batch behave the same, and a batch
is fast.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.core.process_cache import ProcessCache
from apps.directory.models import Region, Unit
from apps.diversion.models import DiversionItem, DiversionList

from .deadlines import DeadlineBook
from .models import IdempotencyKey, Ticket, TicketEvent
from .services import new_ticket


@dataclass
class IngestResult:
    ticket: Ticket | None = None
    created: bool = False
    errors: dict = field(default_factory=dict)


class KeyReused(Exception):
    """The Idempotency-Key was first used with another request body."""


class _Refused(Exception):
    def __init__(self, result):
        self.result = result


class References:
    """Regions, active units, every list version but drafts, and their items: read in
    four queries, then looked up in memory."""

    def __init__(self):
        self.regions = {r.division_code: r for r in Region.objects.all()}
        by_pk = {r.pk: r for r in self.regions.values()}
        for region in self.regions.values():  # lineage() walks parents without queries
            Region.parent.field.set_cached_value(region, by_pk.get(region.parent_id))
        self.units = {u.pk: u for u in Unit.objects.filter(is_active=True)}
        for unit in self.units.values():
            Unit.region.field.set_cached_value(unit, by_pk[unit.region_id])
        versions = DiversionList.objects.exclude(status="draft")
        self._lists = {}
        for version in versions:
            self._lists.setdefault(version.region_id, []).append(version)
        # A ticket needs only the item's id and code: the rest would fill every process's
        # memory with the text of every list version ever published.
        self._items = {
            (i.diversion_list_id, i.item_code): i
            for i in DiversionItem.objects.filter(diversion_list__in=versions).only(
                "diversion_list_id", "item_code"
            )
        }

    def lists_for(self, region):
        """Every non-draft list version of the region and its ancestors, nearest first."""
        return [v for r in region.lineage() for v in self._lists.get(r.pk, ())]

    def item(self, diversion_list, code):
        return self._items.get((diversion_list.pk, code))

    def list_in_force(self, region, at):
        for version in self.lists_for(region):
            if version.effective_from <= at and (
                version.effective_to is None or at < version.effective_to
            ):
                return version
        return None


def intake_snapshot():
    return References(), DeadlineBook()


# Shared by every intake in this process. Staff edits (a deadline policy, a unit closed, a
# list published) reach intake when the copy expires; a reference the copy lacks (a unit
# created a moment ago) makes it re-read at once rather than refuse the ticket.
_intake = ProcessCache(intake_snapshot, seconds=lambda: settings.TICKET_INTAKE_CACHE_SECONDS)


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
    results, new, repeats = _prepare(items, platform)
    if new:
        try:
            with transaction.atomic():
                _save(new, platform, actor)
        except IntegrityError:
            # Another request created some of these meanwhile: take them one by one.
            _one_by_one(items, results, platform, actor)
    for index, first in repeats:
        results[index].ticket = results[first].ticket
    return results


def _prepare(items, platform):
    """(a result per item, those whose ticket is new and unsaved, (index, index of its
    first) for an item repeated in the batch): references resolved, deadlines computed,
    known external ids answered with their ticket."""
    results = [IngestResult() for _item in items]
    existing = _existing(platform, [i["external_id"] for i in items])
    refs, book = _intake.get()
    refreshed = False
    first_of, repeats = {}, []
    for index, item in enumerate(items):
        known = existing.get(item["external_id"])
        if known is not None:
            results[index].ticket = known
            continue
        if item["external_id"] in first_of:
            # The same ticket twice in one batch: both answers point at one ticket.
            repeats.append((index, first_of[item["external_id"]]))
            continue
        fields, errors = _resolve(item, refs)
        if errors and not refreshed:
            # The snapshot may predate the reference (a unit created a moment ago).
            refs, book = _intake.refresh()
            refreshed = True
            fields, errors = _resolve(item, refs)
        if errors:
            results[index].errors = errors
            continue
        first_of[item["external_id"]] = index
        ticket = new_ticket(book=book, source_platform=platform, **fields)
        results[index].ticket, results[index].created = ticket, True
    return results, [r for r in results if r.created], repeats


def _existing(platform, external_ids):
    """{external id: ticket} of those already received. Asks for two columns first: new
    tickets are the common case, and reading all of a ticket's columns costs more."""
    of_platform = Ticket.objects.filter(source_platform=platform)
    known = of_platform.filter(external_id__in=external_ids).values_list("pk", flat=True)
    if not known:
        return {}
    return {t.external_id: t for t in of_platform.filter(pk__in=list(known))}


def _save(new, platform, actor):
    """Insert the new tickets with their ``created`` events, in the caller's transaction."""
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


def ingest_with_key(item: dict, *, platform: str, key: str, request_hash: str, actor=None):
    """One ticket under an ``Idempotency-Key``: exactly one ticket per (platform, key),
    however many requests race with it.

    The ticket and then its key row are inserted in one transaction. A concurrent
    request with the same key waits on the key's unique index (PostgreSQL) or on the
    writer's lock (SQLite) until the first commits, then fails to insert it, which rolls
    its own ticket back: the loser reads the winner's row, and the same body gets the
    same ticket while another body raises ``KeyReused``. (One with the same external id
    fails on the ticket instead, and its retry finds the ticket.)
    """
    for _attempt in range(2):
        try:
            with transaction.atomic():
                (result,), new, _repeats = _prepare([item], platform)
                if result.errors:
                    return result
                if new:
                    _save(new, platform, actor)
                IdempotencyKey.objects.create(
                    platform=platform, key=key, request_hash=request_hash, ticket=result.ticket
                )
                return result
        except IntegrityError:
            pass
        keys = IdempotencyKey.objects.select_related("ticket")
        seen = keys.filter(platform=platform, key=key).first()
        if seen is not None:
            if seen.request_hash != request_hash:
                raise KeyReused
            return IngestResult(ticket=seen.ticket, created=False)
    raise IntegrityError("The ticket could not be saved under this Idempotency-Key.")
