"""What a report says, as data: the workbook writes it, the dashboard shows it.

Every figure comes from the rollups through ``figures``; only the overdue list (one row
per ticket) and the disputes, meetings and changes sheets read their own tables, each
bounded by the period.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.directory.models import Contact, Region, Unit
from apps.disputes.models import ActionItem, JointMeeting, JurisdictionDispute
from apps.disputes.workflow import UNDECIDED
from apps.diversion.models import DiversionItem, DiversionList
from apps.diversion.selectors import diff_lists
from apps.tickets.lifecycle import MILESTONE_FIELDS
from apps.tickets.models import (
    NoticeLevel,
    SupervisionNotice,
    Ticket,
    late_condition,
    reached_in,
)

from . import figures
from .periods import Period
from .rollups import local_day_bounds
from .selectors import grouped, period_rollups, totals


@dataclass
class Compared:
    """A figure this period, the period before (环比) and a year before (同比)."""

    figure: figures.Figure
    value: object
    before: object
    year_before: object

    @staticmethod
    def change(now, then, kind):
        """A count's relative change; a rate's difference (in points of 100 %)."""
        if now is None or then is None:
            return None
        if kind == figures.COUNT:
            return (now - then) / then if then else None
        return now - then

    @property
    def change_before(self):
        return self.change(self.value, self.before, self.figure.kind)

    @property
    def change_year_before(self):
        return self.change(self.value, self.year_before, self.figure.kind)


def overview(*, region: Region, period: Period, scheme) -> list[Compared]:
    values = [
        figures.evaluate(totals(period_rollups(region=region, first=p.first, last=p.last)), scheme)
        for p in (period, period.before(), period.year_before())
    ]
    return [
        Compared(f, values[0][f.key], values[1][f.key], values[2][f.key]) for f in figures.FIGURES
    ]


def breakdown(*, region: Region, period: Period, scheme, field: str) -> list[tuple]:
    """(value of ``field``, every figure) per source platform or urgency."""
    rows = grouped(period_rollups(region=region, first=period.first, last=period.last), field)
    return [(row.pop(field), figures.evaluate(row, scheme)) for row in rows]


def daily(*, region: Region, period: Period) -> list[dict]:
    rows = {
        r["day"]: r
        for r in grouped(
            period_rollups(region=region, first=period.first, last=period.last),
            "day",
            measures=["received", "completed"],
        )
    }
    out, day = [], period.first
    while day <= period.last:
        row = rows.get(day)
        out.append(
            {
                "day": day,
                "received": row["received"] if row else 0,
                "completed": row["completed"] if row else 0,
            }
        )
        day += timedelta(days=1)
    return out


@dataclass
class RankedUnit:
    unit: Unit
    values: dict
    rank: int | None = None


def ranking(*, region: Region, period: Period, scheme) -> tuple[list, list]:
    """The units of the region (and the regions under it) ranked by the scheme's
    composite score, best first, ties sharing a rank; then the units with no tickets
    received in the period, apart and unscored."""
    region_ids = region.subtree_ids()
    rows = {
        r.pop("unit_id"): r
        for r in grouped(
            period_rollups(region=region, first=period.first, last=period.last), "unit_id"
        )
    }
    units = Unit.objects.filter(
        Q(region_id__in=region_ids, is_active=True) | Q(pk__in=rows)
    ).select_related("region")
    ranked, apart = [], []
    for unit in units:
        row = rows.get(unit.pk)
        if row and row["received"]:
            ranked.append(RankedUnit(unit, figures.evaluate(row, scheme)))
        else:
            values = figures.evaluate(row, scheme) if row else None
            apart.append(RankedUnit(unit, values))
    ranked.sort(
        key=lambda r: (-(r.values["composite"] or 0), r.unit.region.division_code, r.unit.name)
    )
    previous = None
    for position, entry in enumerate(ranked, start=1):
        score = entry.values["composite"]
        entry.rank = (
            previous.rank if previous and previous.values["composite"] == score else position
        )
        previous = entry
    apart.sort(key=lambda r: (r.unit.region.division_code, r.unit.name))
    return ranked, apart


@dataclass
class Matter:
    item_code: str
    category: str
    matter: str
    direction: str
    count: int
    before: int = 0
    year_before: int = 0

    @property
    def growth(self):
        return (self.count - self.before) / self.before if self.before else None

    @property
    def growth_year(self):
        return (self.count - self.year_before) / self.year_before if self.year_before else None


def _counts_by_item(region, period):
    rows = grouped(
        period_rollups(region=region, first=period.first, last=period.last),
        "item_code",
        measures=["received"],
    )
    return {r["item_code"]: r["received"] for r in rows if r["received"]}


def matters(*, region: Region, period: Period) -> list[Matter]:
    """Every matter with tickets in the period, most tickets first, with its counts in
    the period before and a year before; the item as the latest list version words it."""
    now = _counts_by_item(region, period)
    before = _counts_by_item(region, period.before())
    year = _counts_by_item(region, period.year_before())
    items = {}
    for item in (
        DiversionItem.objects.filter(item_code__in=[c for c in now if c])
        .order_by("item_code", "-diversion_list__version", "-id")
        .only("item_code", "category", "matter", "direction")
    ):
        items.setdefault(item.item_code, item)
    found = []
    for code, count in now.items():
        item = items.get(code)
        found.append(
            Matter(
                item_code=code,
                category=item.category if item else "",
                matter=item.matter if item else "",
                direction=item.get_direction_display() if item else "",
                count=count,
                before=before.get(code, 0),
                year_before=year.get(code, 0),
            )
        )
    found.sort(key=lambda m: (-m.count, m.item_code))
    return found


def categories(found: list[Matter]) -> list[tuple]:
    """(category, direction, tickets) from ``matters``, most first."""
    sums = {}
    for m in found:
        key = (m.category, m.direction)
        sums[key] = sums.get(key, 0) + m.count
    return sorted(((c, d, n) for (c, d), n in sums.items()), key=lambda x: (-x[2], x[0]))


def rising(found: list[Matter], *, policy) -> list[Matter]:
    """民意热点: matters with at least the policy's volume, growing most against the
    period before (then a year before)."""
    candidates = [m for m in found if m.count >= policy.rising_min_volume and m.count > m.before]
    candidates.sort(key=lambda m: (-(m.growth if m.growth is not None else float("inf")), -m.count))
    return candidates[: policy.rising_matters]


OVERDUE_FIELDS = (
    "external_id",
    "source_platform",
    "received_at",
    "circular_at",
    "region__name",
    "unit__name",
    *[f for pair in MILESTONE_FIELDS.values() for f in pair],
)


def overdue_tickets(*, region: Region, period: Period, now=None):
    """Each ticket received in the period and late for a deadline, oldest first, as a row
    (``OVERDUE_FIELDS`` and ``notice_count``): tens of thousands in a busy quarter, so
    plain values, not model instances."""
    now = now or timezone.now()
    start, end = local_day_bounds(period.first, period.last)
    notices = (
        SupervisionNotice.objects.filter(
            ticket=OuterRef("pk"), level__in=[NoticeLevel.NOTICE, NoticeLevel.ESCALATION]
        )
        .order_by()
        .values("ticket")
        .annotate(n=Count("id"))
        .values("n")
    )
    late = Q()
    for milestone in MILESTONE_FIELDS:
        late |= late_condition(milestone, now)
    return (
        Ticket.objects.filter(
            late, region_id__in=region.subtree_ids(), received_at__gte=start, received_at__lt=end
        )
        .annotate(notice_count=Coalesce(Subquery(notices), 0))
        .order_by("received_at", "id")
        .values(*OVERDUE_FIELDS, "notice_count")
    )


def lateness(row, now) -> timedelta:
    """How far past its deadlines a ticket (a ``values()`` row) went: the largest overrun
    of any milestone, to when it was reached or to now."""
    overruns = [
        (reached_in(row, m) or now) - row[due]
        for m, (due, _met) in MILESTONE_FIELDS.items()
        if row[due] is not None
    ]
    return max([timedelta(0), *overruns])


def disputes_and_meetings(*, region: Region, period: Period) -> dict:
    start, end = local_day_bounds(period.first, period.last)
    regions = region.subtree_ids()
    disputes = JurisdictionDispute.objects.filter(region_id__in=regions).select_related("lead_unit")

    def in_period(field):
        return {f"{field}__gte": start, f"{field}__lt": end}

    meetings = JointMeeting.objects.filter(
        region_id__in=regions, **in_period("starts_at")
    ).order_by("starts_at")
    actions = ActionItem.objects.filter(meeting__in=meetings).select_related("owner", "meeting")
    return {
        "raised": disputes.filter(**in_period("raised_at")).count(),
        "decided": disputes.filter(**in_period("decided_at")).count(),
        "implemented": disputes.filter(**in_period("implemented_at")).count(),
        "open": disputes.filter(status__in=UNDECIDED).count(),
        "disputes": list(
            disputes.filter(Q(**in_period("raised_at")) | Q(**in_period("decided_at"))).order_by(
                "raised_at"
            )
        ),
        "meetings": list(meetings),
        "actions": list(actions.order_by("due_by", "id")),
    }


def list_and_contact_changes(*, region: Region, period: Period) -> dict:
    """The diversion-list versions published in the period, each with its items added,
    changed and removed against the version it was based on; the contact changes per unit."""
    start, end = local_day_bounds(period.first, period.last)
    regions = region.subtree_ids()
    published = []
    for version in (
        DiversionList.objects.filter(
            region_id__in=regions, approved_at__gte=start, approved_at__lt=end
        )
        .select_related("region", "based_on")
        .order_by("approved_at")
    ):
        if version.based_on:
            diff = diff_lists(version.based_on, version)
            counts = (len(diff.added), len(diff.changed), len(diff.removed))
        else:
            counts = (version.items.count(), 0, 0)
        published.append((version, *counts))
    contact_changes = (
        Contact.history.filter(
            unit__region_id__in=regions, history_date__gte=start, history_date__lt=end
        )
        .values("unit_id")
        .annotate(n=Count("history_id"))
        .order_by()
    )
    per_unit = {r["unit_id"]: r["n"] for r in contact_changes}
    units = Unit.objects.filter(pk__in=per_unit).select_related("region")
    return {
        "published": published,
        "contacts": sorted(
            ((u, per_unit[u.pk]) for u in units),
            key=lambda x: (-x[1], x[0].region.division_code, x[0].name),
        ),
    }
