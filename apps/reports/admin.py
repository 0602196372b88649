from django.contrib import admin
from django.utils import timezone

from apps.core.admin import SingletonAdmin
from apps.tickets.lifecycle import Milestone

from .models import AssessmentScheme, OnTimeRule, ReportPolicy


def _in_force(scheme) -> bool:
    return scheme is not None and scheme.effective_from <= timezone.localdate()


class OnTimeRuleInline(admin.TabularInline):
    model = OnTimeRule
    max_num = len(Milestone)
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs):
        return len(Milestone) - (obj.on_time_rules.count() if obj else 0)

    def has_change_permission(self, request, obj=None):
        # ``obj`` is the scheme: its rules are fixed with it once it is in force.
        return not _in_force(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _in_force(obj) and super().has_add_permission(request, obj)


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    inlines = [OnTimeRuleInline]
    list_display = (
        "name",
        "effective_from",
        "response_weight",
        "resolution_weight",
        "satisfaction_weight",
        "basically_satisfied_percent",
        "unreachable_counts",
    )
    ordering = ("-effective_from",)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, OnTimeRuleInline):
            # A new scheme's empty rows, one per milestone it has no rule for yet.
            have = set(obj.on_time_rules.values_list("milestone", flat=True)) if obj.pk else ()
            kwargs["initial"] = [{"milestone": m} for m in Milestone.values if m not in have]
        return kwargs

    def has_change_permission(self, request, obj=None):
        # A scheme that has taken effect stays as it was: the rankings made under it name
        # it, and a rerun must give them again. A re-weighting is a new scheme.
        if _in_force(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportPolicy)
class ReportPolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "top_matters", "rising_min_volume", "rising_matters")


from . import runs_admin  # noqa: E402, F401  (the reports page)
