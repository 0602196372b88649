"""Generate realistic diverted tickets for demos, reports and benchmarks.

Tickets come from the published diversion lists: an item of direction
``hotline_to_police`` is diverted from 12345 to 110 (a police unit handles it), an item
of ``police_to_hotline`` from 110 to 12345 (a government department or utility handles
it: the item's lead unit when the list names one, else the unit of the region whose
name and duties best match the item). Each ticket goes through ``services.new_ticket``
with one shared ``DeadlineBook``, so its deadlines are exactly those the API would give
it; its milestones are then simulated against those deadlines (most on time, some late,
some returned, the recent ones still open), its schedule (``next_due_at``,
``next_check_at``) is recomputed by ``services.refresh_schedule`` and its timeline is
written as ``TicketEvent`` rows.

Rows are written in batches of ``--batch-size`` (one transaction each): with
``bulk_create``, or on PostgreSQL with ``COPY`` of the very same rows (several times
faster; ``--bulk-create`` forces the ORM path), by ``--workers`` processes side by side
(default: one per core on PostgreSQL). Each batch has its own random stream and its own
range of numbers, so the same ``--seed``, period and batch size give the same tickets
whatever the number of workers. External ids (``DEMO<platform>-<number>``, one sequence
over both platforms) continue after the highest one present, so a re-run never collides.

On two cores and PostgreSQL: 1,000,000 tickets with their 5 million events in about
5 minutes (``--bulk-create``: about 10).
"""

import math
import multiprocessing
import os
import random
import re
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from apps.accounts.models import Platform
from apps.directory.models import Region, Unit, UnitKind
from apps.diversion.models import Direction, DiversionItem
from apps.tickets import services
from apps.tickets.deadlines import DeadlineBook
from apps.tickets.ingest import References
from apps.tickets.lifecycle import MILESTONE_EVENTS, MILESTONE_FIELDS, STEPS, Milestone, Status
from apps.tickets.models import (
    Channel,
    EventLevel,
    Rating,
    Restriction,
    ReturnReason,
    Ticket,
    TicketEvent,
    TransferMethod,
    Urgency,
)

EXTERNAL_PREFIX = "DEMO"
SEQUENCE_DIGITS = 9

# Diverted between the platforms: (source platform, platform of the handling side).
PLATFORMS = {
    Direction.HOTLINE_TO_POLICE: (Platform.HOTLINE, Platform.POLICE),
    Direction.POLICE_TO_HOTLINE: (Platform.POLICE, Platform.HOTLINE),
}
DIRECTION_SHARE = {Direction.HOTLINE_TO_POLICE: 0.4, Direction.POLICE_TO_HOTLINE: 0.6}

# Calls per hour of the day (relative): a morning and an afternoon peak, quiet nights.
HOUR_WEIGHTS = [
    0.8, 0.5, 0.35, 0.3, 0.3, 0.5, 1.2, 2.5, 5.0, 7.0, 7.5, 6.5,
    4.5, 5.0, 6.5, 7.0, 6.5, 5.5, 4.5, 4.5, 4.5, 3.5, 2.5, 1.5,
]  # fmt: skip
WEEKEND_FACTOR = 0.8

URGENCY_WEIGHTS = [(Urgency.GENERAL, 80), (Urgency.URGENT, 17), (Urgency.MAJOR, 3)]
CHANNEL_WEIGHTS = {
    Platform.HOTLINE: [
        (Channel.PHONE, 78),
        (Channel.INTERNET, 12),
        (Channel.SMS, 6),
        (Channel.WALK_IN, 4),
    ],
    Platform.POLICE: [
        (Channel.PHONE, 88),
        (Channel.PATROL, 5),
        (Channel.SMS, 4),
        (Channel.WALK_IN, 3),
    ],
}
PHONE_TRANSFER_WEIGHTS = [
    (TransferMethod.ONE_KEY, 60),
    (TransferMethod.THREE_WAY_CALL, 25),
    (TransferMethod.SYSTEM_PUSH, 15),
]
RESTRICTED_SHARE = 0.01
RESTRICTION_WEIGHTS = [
    (Restriction.CASE, 60),
    (Restriction.STABILITY, 30),
    (Restriction.SECRET, 6),
    (Restriction.TERRORISM, 4),
]
LATE_SHARE = 0.08
# Of the tickets received in the last week, this share waits on a unit that has not acted
# yet: still open past a deadline, so the demo has overdue tickets for every notice level.
STUCK_SHARE = 0.3
STUCK_WINDOW = timedelta(days=7)
RETURNED_SHARE = 0.03
RATED_SHARE = 0.85
RATING_WEIGHTS = [
    (Rating.SATISFIED, 70),
    (Rating.BASICALLY_SATISFIED, 18),
    (Rating.DISSATISFIED, 7),
    (Rating.UNREACHABLE, 5),
]
RETURN_REASONS = [
    (ReturnReason.NOT_OUR_DUTY, 50, "经核实不属于本单位职责范围，请重新派单"),
    (ReturnReason.INSUFFICIENT_INFO, 20, "地址不详，联系来电人未接通，无法核实"),
    (ReturnReason.WRONG_REGION, 15, "事发地不在本辖区，请转属地处理"),
    (ReturnReason.DUPLICATE, 5, "与已受理工单重复"),
    (ReturnReason.OTHER, 10, "已由其他部门先行处置"),
]
# Mean delay past the deadline of a late milestone.
LATE_MEAN = {
    Milestone.SIGN: timedelta(minutes=40),
    Milestone.ARRIVE: timedelta(minutes=25),
    Milestone.REPLY: timedelta(hours=8),
    Milestone.COMPLETE: timedelta(hours=30),
}
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "171", "173", "175", "176",
    "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "191", "193", "195", "196", "198", "199",
]  # fmt: skip
ROADS = [
    "人民路", "青年路", "工农路", "长江路", "解放路", "建设路", "中山路", "和平路",
    "新华路", "学府路", "世纪大道", "滨江路", "光明路", "通江路", "城北大道", "文峰路",
]  # fmt: skip
ESTATES = [
    "阳光花园", "锦绣华庭", "幸福里", "滨江苑", "翠湖小区", "金色家园",
    "星湖城", "东方名苑", "书香门第", "怡景湾", "丽景新村", "紫薇苑",
]  # fmt: skip
HOTLINE_TEMPLATES = (
    "市民来电反映{place}{matter}，请公安机关处置。",
    "来电人称{place}{matter}，需警方到场。",
    "{place}{matter}，来电人要求尽快处理。",
)
POLICE_TEMPLATES = (
    "报警人称{place}{matter}，属非警务事项，转12345办理。",
    "群众报警反映{place}{matter}，请相关部门处理。",
    "{place}{matter}，来电人要求政府部门答复。",
)
# Characters too common in unit names and matters to tell anything.
STOP_CHARS = set("市县区局委办公司室中心类等人民政府部门单位其他有关的和与及、，。；：（）() ")


def weighted(pairs):
    values = [p[0] for p in pairs]
    return values, list(accumulate(p[1] for p in pairs))


def pick(rng, table):
    values, cumulative = table
    return values[bisect_right(cumulative, rng.random() * cumulative[-1])]


URGENCY_TABLE = weighted(URGENCY_WEIGHTS)
CHANNEL_TABLES = {p: weighted(w) for p, w in CHANNEL_WEIGHTS.items()}
TRANSFER_TABLE = weighted(PHONE_TRANSFER_WEIGHTS)
RESTRICTION_TABLE = weighted(RESTRICTION_WEIGHTS)
RATING_TABLE = weighted(RATING_WEIGHTS)
RETURN_TABLE = weighted([((code, text), w) for code, w, text in RETURN_REASONS])


def grams(text):
    chars = {c for c in text if c not in STOP_CHARS}
    pairs = {text[i : i + 2] for i in range(len(text) - 1)} - {""}
    return chars, {p for p in pairs if not set(p) <= STOP_CHARS}


BRACKETS = re.compile(r"（[^）]*）?|\([^)]*\)?")


def short_matter(item):
    """A short phrase for the summary: the subcategory, else the matter's first clause."""
    text = BRACKETS.sub("", item.subcategory or item.matter)
    for stop in "；;。，,：:":
        text = text.split(stop)[0]
    text = text.strip().removeprefix("一般类的").removeprefix("举报").removesuffix("等")
    return text[:24] or item.category


@dataclass
class Choice:
    """One usable diversion item in one region: who handles it and with whom."""

    item: DiversionItem
    units: list  # candidate responsible units
    co_unit_ids: list
    extra_co_units: list  # plausible extra co-units for a few tickets


@dataclass
class Pool:
    """The usable items of one region's list in force, with their weights (Zipf-like)."""

    by_direction: dict = field(default_factory=dict)  # direction -> (choices, cumulative)


class Plan:
    """Regions, their lists over the period, and unit candidates: loaded once."""

    def __init__(self, regions):
        self.refs = References()
        self.regions = []
        self.weights = []
        self.pools = {}  # (region pk, list pk) -> Pool
        self.units = {}  # region pk -> [Unit] (active, handling units)
        for region in regions:
            units = list(
                Unit.objects.filter(region=region, is_active=True)
                .exclude(kind__in=[UnitKind.HOTLINE_CENTRE, UnitKind.OTHER])
                .order_by("pk")
            )
            if not units:
                continue
            self.units[region.pk] = units
            self.regions.append(region)
            self.weights.append(len(units))

    def keep(self, wanted):
        kept = [(r, w) for r, w in zip(self.regions, self.weights, strict=True) if wanted(r)]
        self.regions = [r for r, _w in kept]
        self.weights = [w for _r, w in kept]

    def list_in_force(self, region, at):
        return self.refs.list_in_force(region, at)

    def pool(self, region, diversion_list):
        key = (region.pk, diversion_list.pk)
        if key not in self.pools:
            self.pools[key] = self._build_pool(region, diversion_list)
        return self.pools[key]

    def _build_pool(self, region, diversion_list):
        units = self.units[region.pk]
        by_pk = {u.pk: u for u in units}
        police = [u for u in units if u.kind == UnitKind.POLICE]
        police = [u for u in police if "公安" in u.name] or police  # not the 110 desk itself
        civil = [u for u in units if u.kind in (UnitKind.GOVERNMENT, UnitKind.ENTERPRISE)]
        unit_grams = {u.pk: grams(f"{u.name}{u.short_name}{u.scope}") for u in civil}
        items = (
            DiversionItem.objects.filter(
                diversion_list=diversion_list, direction__in=list(PLATFORMS)
            )
            .prefetch_related("co_units")
            .order_by("order", "pk")
        )
        pool = Pool()
        for item in items:
            lead = by_pk.get(item.lead_unit_id)
            if item.direction == Direction.HOTLINE_TO_POLICE:
                candidates = [lead] if lead else police
                extra = []
            else:
                candidates = [lead] if lead else self._best_match(item, civil, unit_grams)
                extra = [
                    u for u in self._best_match(item, civil, unit_grams) if u not in candidates
                ]
            if not candidates:
                continue
            co_ids = [
                u.pk for u in item.co_units.all() if u.pk in by_pk and u.pk != candidates[0].pk
            ]
            choice = Choice(item, candidates, co_ids, extra)
            pool.by_direction.setdefault(item.direction, []).append(choice)
        # Zipf-like popularity in an order seeded by the list: some matters are common,
        # most are rare, the same in every run.
        for direction, choices in list(pool.by_direction.items()):
            popularity = random.Random(f"{diversion_list.pk}:{direction}")
            ranks = list(range(1, len(choices) + 1))
            popularity.shuffle(ranks)
            pool.by_direction[direction] = (
                choices,
                list(accumulate(1 / r**0.8 for r in ranks)),
            )
        return pool

    @staticmethod
    def _best_match(item, civil, unit_grams):
        """The civil units whose name and duties share most with the item: character
        pairs count more than single characters, the category more than the matter."""
        head_chars, head_pairs = grams(f"{item.category}{item.subcategory}")
        chars, pairs = grams(f"{item.matter}{item.keywords}")
        scored = [
            (
                6 * len(head_pairs & unit_pairs)
                + 3 * len(pairs & unit_pairs)
                + 2 * len(head_chars & unit_chars)
                + len(chars & unit_chars),
                unit,
            )
            for unit in civil
            for unit_chars, unit_pairs in [unit_grams[unit.pk]]
        ]
        best = max((s for s, _u in scored), default=0)
        if best == 0:
            return [u for u in civil if u.kind == UnitKind.GOVERNMENT] or civil
        return [u for s, u in scored if s == best]


class Command(BaseCommand):
    help = (
        "Generate realistic diverted tickets (with deadlines, milestones, ratings and "
        "timelines) from the published diversion lists, for demos and benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many tickets")
        parser.add_argument(
            "--start",
            type=date.fromisoformat,
            help=(
                "first day received, YYYY-MM-DD (default: 90 days before --end, or the start "
                "of the quarter before, if earlier: the demo's quarterly report is whole)"
            ),
        )
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            help="last day received, YYYY-MM-DD, included (default: today; never after now)",
        )
        parser.add_argument("--region", help="6-digit division code: only this region's units")
        parser.add_argument("--seed", type=int, default=0, help="same seed, same tickets")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when there are tickets already (make demo runs it every time)",
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--bulk-create",
            action="store_true",
            help="write with bulk_create also on PostgreSQL (default there: COPY, faster)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help=(
                "processes building and writing batches side by side; default: one per "
                "core (at most 4) on PostgreSQL, 1 on SQLite"
            ),
        )

    def handle(
        self,
        *args,
        count,
        start,
        end,
        region,
        seed,
        batch_size,
        workers,
        bulk_create=False,
        if_empty=False,
        **options,
    ):
        if if_empty and Ticket.objects.exists():
            self.stdout.write("Tickets exist already: none generated.")
            return
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if batch_size < 1 or workers < 0:
            raise CommandError("--batch-size must be at least 1, --workers at least 0.")
        workers = workers or min(4, os.cpu_count() or 1)
        if workers > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block):
            workers = 1  # SQLite has one writer; inside a transaction, others cannot see it
        now = timezone.now()
        # call_command(..., start="2026-01-01") passes the option unparsed.
        start, end = (date.fromisoformat(d) if isinstance(d, str) else d for d in (start, end))
        end = end or timezone.localdate(now)
        start = start or min(end - timedelta(days=90), _previous_quarter_start(end))
        period_start = timezone.make_aware(datetime.combine(start, datetime.min.time()))
        period_end = min(
            timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time())),
            now,
        )
        if period_start >= period_end:
            raise CommandError("The period is empty: --start must be before --end and now.")
        if region:
            try:
                regions = [Region.objects.select_related("parent").get(division_code=region)]
            except Region.DoesNotExist:
                raise CommandError(f"No region has the division code {region}.") from None
        else:
            regions = list(Region.objects.select_related("parent").order_by("division_code"))
        plan = Plan(regions)
        plan.keep(lambda r: self._covered(plan, r, period_start, period_end))
        if not plan.regions:
            raise CommandError(
                "No region with active units has a diversion list in force in this period."
            )
        generator = Generator(plan, seed, now, copy=not bulk_create)
        moments = generator.receipt_times(count, period_start, period_end)
        self.stdout.write(
            f"Generating {count:,} tickets received {start} – {end} in "
            + "、".join(r.name for r in plan.regions)
            + f" (seed {seed}, batches of {batch_size:,}, {workers} worker(s))"
        )
        began = time.perf_counter()
        made = events = 0
        batches = [
            (number, first, moments[first : first + batch_size])
            for number, first in enumerate(range(0, count, batch_size))
        ]
        for tickets, event_count in run_batches(generator, batches, workers):
            made += tickets
            events += event_count
            elapsed = time.perf_counter() - began
            self.stdout.write(
                f"  {made:>10,} tickets  {events:>11,} events  "
                f"{elapsed:7.1f} s  ({made / elapsed:,.0f} tickets/s)"
            )
        elapsed = time.perf_counter() - began
        self._vacuum()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {made:,} tickets and {events:,} events in {elapsed:.1f} s "
                f"({made / elapsed:,.0f} tickets/s)."
            )
        )

    @staticmethod
    def _vacuum():
        """Leave the tables as a running database would have them: statistics for the
        planner and the visibility map for index-only scans (PostgreSQL; VACUUM cannot
        run inside a transaction, as in a test)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return
        tables = [m._meta.db_table for m in (Ticket, TicketEvent, Ticket.co_units.through)]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")

    @staticmethod
    def _covered(plan, region, period_start, period_end):
        """True when a list is in force for the region at some moment of the period."""
        for version in plan.refs.lists_for(region):
            if version.effective_from < period_end and (
                version.effective_to is None or version.effective_to > period_start
            ):
                return True
        return False


_generator = None  # the generator a worker process inherits


def _run_batch(batch):
    return _generator.batch(*batch)


def run_batches(generator, batches, workers):
    """Yield (tickets, events) per batch, in order; batches are independent of each
    other (each has its own random stream and numbers), so workers may share them."""
    if workers == 1 or len(batches) == 1:
        for batch in batches:
            yield generator.batch(*batch)
        return
    global _generator
    _generator = generator
    connections.close_all()  # each worker opens its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=connections.close_all) as pool:
        yield from pool.imap(_run_batch, batches)


class Writer:
    """Writes rows with ``bulk_create``, or on PostgreSQL with ``COPY``: the same rows
    (ids drawn from the table's sequence, ``auto_now_add`` stamped, JSON as jsonb) at a
    fraction of the cost of compiling a 200,000-parameter INSERT."""

    def __init__(self, *, copy):
        self.copy = copy and connection.vendor == "postgresql"
        self.now = timezone.now()

    def create(self, model, objects):
        """Insert model instances; sets their primary keys, like ``bulk_create``."""
        if not self.copy:
            return model.objects.bulk_create(objects)
        fields = model._meta.concrete_fields
        for stamped in fields:
            if getattr(stamped, "auto_now_add", False) or getattr(stamped, "auto_now", False):
                for obj in objects:
                    setattr(obj, stamped.attname, self.now)
        for obj, pk in zip(objects, self._ids(model, len(objects)), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
        names = [f.attname for f in fields]
        self._copy(model, fields, ([obj.__dict__[n] for n in names] for obj in objects))
        return objects

    def create_rows(self, model, names, rows):
        """Insert rows given as tuples of ``names``; returns how many."""
        if not self.copy:
            model.objects.bulk_create(model(**dict(zip(names, row, strict=True))) for row in rows)
            return len(rows)
        fields = model._meta.concrete_fields
        position = {name: i for i, name in enumerate(names)}
        defaults = {}
        for other in fields:
            if other.attname in position or other.primary_key:
                continue
            if getattr(other, "auto_now_add", False) or getattr(other, "auto_now", False):
                defaults[other.attname] = self.now
            else:
                defaults[other.attname] = other.get_default()
        getters = [
            (position.get(f.attname), defaults.get(f.attname)) for f in fields if not f.primary_key
        ]
        pk_fields = [f for f in fields if f.primary_key]
        ids = self._ids(model, len(rows))
        self._copy(
            model,
            pk_fields + [f for f in fields if not f.primary_key],
            (
                [pk, *(row[i] if i is not None else default for i, default in getters)]
                for pk, row in zip(ids, rows, strict=True)
            ),
        )
        return len(rows)

    @staticmethod
    def _ids(model, count):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _copy(model, fields, rows):
        from psycopg.types.json import Jsonb

        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        json = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                for i in json:
                    row[i] = Jsonb(row[i])
                copy.write_row(row)


class Generator:
    def __init__(self, plan, seed, now, *, copy=False):
        self.plan = plan
        self.seed = seed
        self.now = now
        self.copy = copy
        self.book = DeadlineBook()
        self.policy = self.book.supervision
        # One sequence over both platforms, so that a batch knows its numbers by itself.
        self.sequence = max(self._highest_sequence(p) for p in Platform.values)
        self._region_tables = {}

    @staticmethod
    def _highest_sequence(platform):
        prefix = f"{EXTERNAL_PREFIX}{platform}-"
        highest = (
            Ticket.objects.filter(source_platform=platform, external_id__startswith=prefix)
            .order_by("-external_id")
            .values_list("external_id", flat=True)
            .first()
        )
        if highest and highest[len(prefix) :].isdigit():
            return int(highest[len(prefix) :])
        return 0

    # --- when -------------------------------------------------------------------------

    def receipt_times(self, count, period_start, period_end):
        """``count`` receipt moments (epoch seconds, sorted) with daytime peaks, in hours
        of the period where some region has a list in force."""
        rng = random.Random(f"demo-tickets:{self.seed}:times")
        slots, weights = [], []
        hour = period_start.replace(minute=0, second=0, microsecond=0)
        while hour < period_end:
            begin, finish = max(hour, period_start), min(hour + timedelta(hours=1), period_end)
            local = timezone.localtime(hour)
            weight = HOUR_WEIGHTS[local.hour] * (WEEKEND_FACTOR if local.weekday() >= 5 else 1)
            weight *= (finish - begin) / timedelta(hours=1)
            first, last = self._eligible(begin), self._eligible(finish - timedelta(seconds=1))
            if weight > 0 and (first or last):
                partial = not (first and last)  # a list comes into force within the hour
                slots.append((begin.timestamp(), (finish - begin).total_seconds(), partial))
                weights.append(weight)
            hour += timedelta(hours=1)
        if not slots:
            raise CommandError("No list is in force at any moment of the period.")
        cumulative = list(accumulate(weights))
        total = cumulative[-1]
        moments = []
        tz = timezone.get_current_timezone()
        while len(moments) < count:
            begin, length, partial = slots[bisect_right(cumulative, rng.random() * total)]
            moment = math.floor(begin + rng.random() * length)
            if partial and not self._eligible(datetime.fromtimestamp(moment, tz)):
                continue
            moments.append(moment)
        moments.sort()
        return moments

    def _eligible(self, at):
        """[(region, weight)] of the regions with a list in force at ``at``."""
        return [
            (r, w)
            for r, w in zip(self.plan.regions, self.plan.weights, strict=True)
            if self.plan.list_in_force(r, at) is not None
        ]

    def _region_table(self, at):
        eligible = self._eligible(at)
        key = tuple(r.pk for r, _w in eligible)
        if key not in self._region_tables:
            self._region_tables[key] = weighted(eligible) if eligible else None
        return self._region_tables[key]

    # --- what ---------------------------------------------------------------------------

    def batch(self, number, first, moments):
        """Build and write one batch; returns (tickets, events) written."""
        rng = random.Random(f"demo-tickets:{self.seed}:batch:{number}")
        tz = timezone.get_current_timezone()
        drafts = []
        for index, moment in enumerate(moments, start=self.sequence + first + 1):
            received = datetime.fromtimestamp(moment, tz)
            region = pick(rng, self._region_table(received))
            drafts.append(self._ticket(rng, index, received, region))
        writer = Writer(copy=self.copy)
        with transaction.atomic():
            tickets = writer.create(Ticket, [ticket for ticket, _t, _c in drafts])
            events = writer.create_rows(
                TicketEvent,
                ("ticket_id", "type", "at", "unit_id", "platform", "data"),
                [
                    (ticket.pk, type_, at, ticket.unit_id, platform, data)
                    for ticket, timeline, _co in drafts
                    for type_, at, platform, data in timeline
                ],
            )
            through = Ticket.co_units.through
            through.objects.bulk_create(
                through(ticket_id=ticket.pk, unit_id=unit_id)
                for ticket, _timeline, co_units in drafts
                for unit_id in co_units
            )
        return len(tickets), events

    def _ticket(self, rng, sequence, received, region):
        diversion_list = self.plan.list_in_force(region, received)
        pool = self.plan.pool(region, diversion_list)
        directions = list(pool.by_direction)
        if len(directions) == 1:
            direction = directions[0]
        else:
            direction = (
                Direction.HOTLINE_TO_POLICE
                if rng.random() < DIRECTION_SHARE[Direction.HOTLINE_TO_POLICE]
                else Direction.POLICE_TO_HOTLINE
            )
        choices, cumulative = pool.by_direction[direction]
        choice = choices[bisect_right(cumulative, rng.random() * cumulative[-1])]
        source, handler = PLATFORMS[direction]
        unit = choice.units[0] if len(choice.units) == 1 else rng.choice(choice.units)
        co_units = list(choice.co_unit_ids)
        if not co_units and choice.extra_co_units and rng.random() < 0.02:
            co_units = [rng.choice(choice.extra_co_units).pk]
        urgency = pick(rng, URGENCY_TABLE)
        if urgency == Urgency.GENERAL:
            on_site_share = 0.25 if direction == Direction.HOTLINE_TO_POLICE else 0.05
            needs_on_site = rng.random() < on_site_share
            event_level = ""
        else:
            needs_on_site = None  # new_ticket: urgent and major tickets need staff on site
            event_level = (
                rng.choice([EventLevel.LARGE, EventLevel.MAJOR])
                if urgency == Urgency.MAJOR
                else (EventLevel.GENERAL if rng.random() < 0.5 else "")
            )
        channel = pick(rng, CHANNEL_TABLES[source])
        transfer = (
            pick(rng, TRANSFER_TABLE) if channel == Channel.PHONE else TransferMethod.SYSTEM_PUSH
        )
        place = self._place(rng)
        template = rng.choice(
            HOTLINE_TEMPLATES if direction == Direction.HOTLINE_TO_POLICE else POLICE_TEMPLATES
        )
        ticket = services.new_ticket(
            book=self.book,
            source_platform=source,
            external_id=f"{EXTERNAL_PREFIX}{source}-{sequence:0{SEQUENCE_DIGITS}d}",
            region=region,
            received_at=received,
            channel=channel,
            transfer_method=transfer,
            urgency=urgency,
            event_level=event_level,
            needs_on_site=needs_on_site,
            diversion_item=choice.item,
            diversion_list=diversion_list,
            unit=unit,
            summary=template.format(place=place, matter=short_matter(choice.item)),
            caller_phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            restriction=(pick(rng, RESTRICTION_TABLE) if rng.random() < RESTRICTED_SHARE else ""),
        )
        timeline = self._simulate(rng, ticket, source, handler)
        services.refresh_schedule(ticket, self.policy)
        return ticket, timeline, co_units

    @staticmethod
    def _place(rng):
        roll = rng.random()
        if roll < 0.45:
            return f"{rng.choice(ROADS)}{rng.randrange(1, 400)}号"
        if roll < 0.85:
            return f"{rng.choice(ESTATES)}{rng.randrange(1, 30)}栋"
        return ""

    # --- how it went ----------------------------------------------------------------------

    def _simulate(self, rng, ticket, source, handler):
        """Stamp the milestones that happened by now; return the timeline to record."""
        now = self.now
        received = ticket.received_at
        timeline = [(TicketEvent.Type.CREATED, received, source, {})]
        roll = rng.random()
        returned = roll < RETURNED_SHARE
        late = None
        if not returned and roll < RETURNED_SHARE + LATE_SHARE:
            due = [m for m, (by, _met) in MILESTONE_FIELDS.items() if getattr(ticket, by)]
            late = rng.choice(due)
        steps = [Milestone.SIGN, Milestone.REPLY, Milestone.COMPLETE]
        if ticket.needs_on_site:
            steps.insert(1, Milestone.ARRIVE)
        if returned:
            steps = [Milestone.SIGN] if rng.random() < 0.5 else []
        stuck_at = None
        if not returned and now - received < STUCK_WINDOW and rng.random() < STUCK_SHARE:
            stuck_at = rng.choice(steps)
        cursor = received
        for milestone in steps:
            if milestone == stuck_at:
                return timeline  # the unit has not acted: open, overdue once due
            due_field, met_field = MILESTONE_FIELDS[milestone]
            at = self._when(rng, cursor, getattr(ticket, due_field), milestone, milestone == late)
            if at > now:
                return timeline  # not happened yet: the ticket is still open
            setattr(ticket, met_field, at)
            event_type = MILESTONE_EVENTS[milestone]
            ticket.status = STEPS[event_type].makes
            timeline.append((event_type, at, handler, {}))
            cursor = at
        if returned:
            window = (ticket.sign_by or cursor + timedelta(hours=2)) - cursor
            at = cursor + max(timedelta(minutes=3), window * rng.random())
            at = at.replace(microsecond=0)
            if at > now:
                return timeline
            (code, text) = pick(rng, RETURN_TABLE)
            ticket.status, ticket.returned_at = Status.RETURNED, at
            ticket.return_reason, ticket.return_note = code, text
            data = {"reason_code": code, "reason_text": text}
            timeline.append((TicketEvent.Type.RETURNED, at, handler, data))
            return timeline
        if rng.random() < RATED_SHARE:
            at = (cursor + timedelta(minutes=rng.uniform(10, 48 * 60))).replace(microsecond=0)
            if at <= now:
                rating = pick(rng, RATING_TABLE)
                ticket.rated_at, ticket.rating = at, rating
                timeline.append((TicketEvent.Type.RATED, at, source, {"rating": rating}))
        return timeline

    @staticmethod
    def _when(rng, cursor, due, milestone, late):
        """When a milestone is met after ``cursor``: within its deadline, or past it."""
        if due is None:
            gap = timedelta(minutes=rng.uniform(15, 120))
        elif late:
            mean = LATE_MEAN[milestone].total_seconds()
            past = max(cursor, due) - cursor
            gap = past + timedelta(seconds=60 + rng.expovariate(1 / mean))
        elif due > cursor:
            # Early in the allowed window more often than late in it.
            gap = (due - cursor) * (0.02 + 0.93 * rng.random() ** 1.6)
        else:
            gap = timedelta(minutes=rng.uniform(2, 45))  # an earlier step ran late
        gap = max(gap, timedelta(seconds=60))
        return (cursor + gap).replace(microsecond=0)


def _previous_quarter_start(day: date) -> date:
    this_quarter = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    before = this_quarter - timedelta(days=1)
    return before.replace(month=(before.month - 1) // 3 * 3 + 1, day=1)
