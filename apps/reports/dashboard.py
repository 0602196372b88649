"""The leadership dashboard: the month or quarter so far (or the last one) of a region,
from the rollups alone, so that it answers as fast at a million tickets as at a hundred.
Each figure carries the ticket list behind it."""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.directory.models import Region
from apps.disputes.models import JurisdictionDispute
from apps.disputes.schedule import quarter_bounds
from apps.disputes.workflow import UNDECIDED

from . import content, figures
from .models import DailyRollup, ReportPolicy, RollupState
from .periods import Period, month_bounds, previous_month, previous_quarter
from .selectors import period_rollups, scheme_for, totals

PERIOD_CHOICES = {
    "month": _("This month so far"),
    "quarter": _("This quarter so far"),
    "last_month": _("Last month"),
    "last_quarter": _("Last quarter"),
}
HEADLINE = (
    "received",
    "completed",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "backflow",
    "late",
    "overdue_now",
)
# The ticket list behind a figure: its filter besides the region and the period.
TICKET_FILTERS = {
    "completed": {"status__exact": "completed"},
    "late": {"overdue": "late"},
    "overdue_now": {"overdue": "yes"},
    "backflow": {"routing": "returned"},
}


MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


def valid_period_choice(choice: str) -> bool:
    """One of ``PERIOD_CHOICES``, or a past month as ``2026-11`` (from a link)."""
    return choice in PERIOD_CHOICES or bool(MONTH.match(choice or ""))


def dashboard_period(choice: str, today: date) -> Period:
    month = MONTH.match(choice or "")
    if month:
        first, last = month_bounds(date(int(month[1]), int(month[2]), 1))
        return Period("monthly", first, min(last, today))
    if choice == "quarter":
        first, last = quarter_bounds(today)
        return Period("quarterly", first, min(last, today))
    if choice == "last_month":
        return previous_month(today)
    if choice == "last_quarter":
        return previous_quarter(today)
    first, _last = month_bounds(today)
    return Period("monthly", first, today)


def dashboard_regions():
    """The regions with figures, cities before their counties."""
    # One index probe per region, not a DISTINCT over every rollup row.
    with_figures = Exists(DailyRollup.objects.filter(region=OuterRef("pk")))
    regions = {r.pk: r for r in Region.objects.filter(with_figures)}
    for region in list(regions.values()):
        for above in region.lineage():
            regions.setdefault(above.pk, above)
    return sorted(regions.values(), key=lambda r: (r.division_code[:4], r.division_code))


def tickets_link(region: Region, period: Period, figure_key: str = "") -> str:
    query = {
        "within": region.pk,
        "received": f"{period.first:%Y-%m-%d}~{period.last:%Y-%m-%d}",
        **TICKET_FILTERS.get(figure_key, {}),
    }
    return reverse("admin:tickets_ticket_changelist") + "?" + urlencode(query)


@dataclass
class Headline:
    figure: figures.Figure
    value: object
    link: str


def dashboard(*, region: Region, period: Period) -> dict:
    scheme = scheme_for(period.last)
    policy = ReportPolicy.current()
    summed = totals(period_rollups(region=region, first=period.first, last=period.last))
    values = figures.evaluate(summed, scheme)
    ranked, _apart = content.ranking(region=region, period=period, scheme=scheme)
    found = content.matters(region=region, period=period)
    return {
        "region": region,
        "period": period,
        "scheme": scheme,
        "headlines": [
            Headline(figures.BY_KEY[k], values[k], tickets_link(region, period, k))
            for k in HEADLINE
        ],
        "restricted": summed["restricted"],
        "daily": content.daily(region=region, period=period),
        "ranking": ranked[:10],
        "top_matters": found[:10],
        "rising": content.rising(found, policy=policy),
        "open_disputes": JurisdictionDispute.objects.filter(
            region_id__in=region.subtree_ids(), status__in=UNDECIDED
        ).count(),
        "refreshed_at": RollupState.current().refreshed_up_to,
        "today": timezone.localdate(),
    }


def chart_data(found: dict) -> dict:
    """What the charts draw, for ``json_script``: the daily trend and the ranking."""
    return {
        "days": [f"{d['day']:%m-%d}" for d in found["daily"]],
        "received": [d["received"] for d in found["daily"]],
        "completed": [d["completed"] for d in found["daily"]],
        "units": [r.unit.name for r in found["ranking"]][::-1],
        "scores": [
            round(float(r.values["composite"]), 2) if r.values["composite"] is not None else None
            for r in found["ranking"]
        ][::-1],
        "labels": {
            "received": str(figures.BY_KEY["received"].label),
            "completed": str(figures.BY_KEY["completed"].label),
            "composite": str(figures.BY_KEY["composite"].label),
        },
    }
