from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, DayKind, Weekday, WorkingPeriod


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    list_display = ("weekday", "start_time", "end_time")
    list_filter = ("weekday",)
    ordering = ("weekday", "start_time")


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.in_year(int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "works_as")
    list_filter = ("kind", YearFilter)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        # Shown beside the date so staff see at a glance that a make-up day is a weekend.
        return Weekday(obj.date.weekday()).label

    @admin.display(description=_("works as"), ordering="works_as_weekday")
    def works_as(self, obj):
        # The weekday whose hours apply matters only on make-up working days.
        if obj.kind != DayKind.WORKDAY:
            return "—"
        return obj.get_works_as_weekday_display()
