"""Reading the rollups: sums for a region (with the regions under it) and a period."""

from datetime import date

from django.db.models import Sum
from django.db.models.functions import Coalesce

from apps.directory.models import Region

from .models import AssessmentScheme, DailyRollup
from .models.rollups import MEASURES

SUMS = {m: Coalesce(Sum(m), 0) for m in MEASURES}


def period_rollups(*, region: Region, first: date, last: date, **filters):
    """The rollup rows of ``region`` and the regions under it, ``first`` to ``last``."""
    return DailyRollup.objects.filter(
        region_id__in=region.subtree_ids(), day__gte=first, day__lte=last, **filters
    )


def totals(rows) -> dict:
    """Every measure summed over ``rows`` (0 where there are none)."""
    return rows.aggregate(**SUMS)


def grouped(rows, *fields, measures=MEASURES) -> list[dict]:
    """The ``measures`` (every one by default) summed per value of ``fields``."""
    sums = {m: SUMS[m] for m in measures}
    return list(rows.values(*fields).annotate(**sums).order_by(*fields))


def scheme_for(last: date) -> AssessmentScheme:
    """The assessment scheme in force at the end of a period."""
    scheme = AssessmentScheme.objects.in_force(last)
    if scheme is None:  # before the first scheme took effect: the earliest one
        scheme = AssessmentScheme.objects.order_by("effective_from").first()
    return scheme
