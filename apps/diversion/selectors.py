"""Reads of diversion lists."""

from datetime import datetime, time

from django.utils import timezone

from .models import DiversionItem, DiversionList
from .snapshots import diff_snapshots, snapshot_items


def end_of_day(day):
    """``as_of`` dates mean "in force at the close of that day" (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day, time.max))


def items_with_units():
    return DiversionItem.objects.select_related(
        "diversion_list__region", "lead_unit"
    ).prefetch_related("co_units")


def diff_lists(before: DiversionList, after: DiversionList):
    def snapshots(diversion_list):
        return snapshot_items(
            diversion_list.items.select_related("lead_unit").prefetch_related("co_units")
        )

    return diff_snapshots(snapshots(before), snapshots(after))
