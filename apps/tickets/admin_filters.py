"""The filters of the ticket list. Besides the daily ones (overdue, received today), the
report and dashboard figures link here with the period (``received=2026-11-01~2026-11-30``)
and the region with its counties (``within=<id>``), so each figure opens its tickets."""

from datetime import date, datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AutocompleteFilter
from apps.directory.models import Region

from .lifecycle import MILESTONE_FIELDS, Status
from .models import late_condition


class UnitFilter(AutocompleteFilter):
    title = _("responsible unit")
    field_name = "unit"


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Overdue")),
            ("soon", _("Due soon")),
            ("no", _("Not overdue")),
            ("late", _("Late for a deadline, also when met late")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "late":
            late = Q()
            for milestone in MILESTONE_FIELDS:
                late |= late_condition(milestone)
            return queryset.filter(late)
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "soon":
            return queryset.due_soon()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


class ReceivedFilter(admin.SimpleListFilter):
    title = _("received")
    parameter_name = "received"
    PERIODS = {"today": 0, "7d": 7, "30d": 30}

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("7d", _("Past 7 days")), ("30d", _("Past 30 days"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value in self.PERIODS:
            start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            return queryset.filter(
                received_at__gte=start - timezone.timedelta(days=self.PERIODS[value])
            )
        if value:  # a report's period: 2026-11-01~2026-11-30, both days included
            try:
                first, last = (date.fromisoformat(d) for d in value.split("~"))
            except ValueError:
                raise IncorrectLookupParameters(value) from None
            tz = timezone.get_current_timezone()
            return queryset.filter(
                received_at__gte=datetime.combine(first, time.min, tzinfo=tz),
                received_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
            )
        return queryset


class RegionScopeFilter(admin.SimpleListFilter):
    """A region with the regions under it: the scope of a city's report."""

    title = _("region, with its counties")
    parameter_name = "within"

    def lookups(self, request, model_admin):
        return [
            (str(r.pk), r.name)
            for r in Region.objects.filter(children__isnull=False)
            .distinct()
            .order_by("division_code")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters(self.value())
        region = Region.objects.filter(pk=int(self.value())).first()
        if region is None:
            return queryset.none()
        return queryset.filter(region_id__in=region.subtree_ids())


class RoutingFilter(admin.SimpleListFilter):
    title = _("routing")
    parameter_name = "routing"

    def lookups(self, request, model_admin):
        return [("returned", _("Returned or re-routed (backflow)"))]

    def queryset(self, request, queryset):
        if self.value() == "returned":
            return queryset.filter(Q(status=Status.RETURNED) | Q(routing_round__gt=1))
        return queryset


class ItemCodeFilter(admin.SimpleListFilter):
    """The tickets of one diversion item, in whichever list version they came: the
    reports' matters link here."""

    title = _("diversion item")
    parameter_name = "item"

    def lookups(self, request, model_admin):
        return []  # reached from the reports' links, not picked in the sidebar

    def has_output(self):
        return bool(self.value())

    def choices(self, changelist):
        yield {
            "selected": True,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.value(),
        }

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(diversion_item__item_code=self.value()[:32])
        return queryset
