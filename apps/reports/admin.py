from django.contrib import admin
from django.utils import timezone

from apps.core.admin import SingletonAdmin

from .models import AssessmentScheme, ReportPolicy


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
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

    def has_change_permission(self, request, obj=None):
        # A scheme that has taken effect stays as it was: the rankings made under it name
        # it, and a rerun must give them again. A re-weighting is a new scheme.
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportPolicy)
class ReportPolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "top_matters", "rising_min_volume", "rising_matters")


from . import runs_admin  # noqa: E402, F401  (the reports page)
