"""The reports page: every report by region, kind and period, with its download, the
progress of those being produced, reruns and "generate a special report"."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.jobs_admin import JobAdminMixin

from . import dashboard, runs
from .models import ReportKind, ReportPolicy, ReportRun, RunStatus
from .periods import Period


class SpecialReportForm(forms.ModelForm):
    class Meta:
        model = ReportRun
        fields = ["region", "first_day", "last_day"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if first > last:
                self.add_error("last_day", _("The end comes before the start."))
            elif last > timezone.localdate():
                self.add_error("last_day", _("The period cannot end after today."))
            elif (last - first).days + 1 > (longest := ReportPolicy.current().longest_period_days):
                self.add_error(
                    "last_day",
                    _("A special report covers at most %(days)d days.") % {"days": longest},
                )
        return data


class RevisionFilter(admin.SimpleListFilter):
    title = gettext_lazy("revisions")
    parameter_name = "revisions"

    def lookups(self, request, model_admin):
        return [("all", _("All revisions"))]

    def choices(self, changelist):
        # No "All" entry: without a choice the list shows the latest revisions.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Latest revision"),
        }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": _("All revisions"),
        }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        # Superseded: a later revision of the same report has been produced. A rerun
        # still queued or running leaves the one it replaces in the list.
        later = ReportRun.objects.filter(
            status=RunStatus.DONE,
            kind=OuterRef("kind"),
            region=OuterRef("region"),
            first_day=OuterRef("first_day"),
            last_day=OuterRef("last_day"),
            revision__gt=OuterRef("revision"),
        )
        return queryset.filter(~Exists(later))


@admin.register(ReportRun)
class ReportRunAdmin(JobAdminMixin, admin.ModelAdmin):
    form = SpecialReportForm
    list_display = (
        "region",
        "kind",
        "period_label",
        "revision",
        "state",
        "requested_by",
        "finished_at",
        "download",
    )
    list_filter = ("kind", "status", RevisionFilter, "region")
    list_select_related = ("region", "requested_by")
    date_hierarchy = "first_day"
    actions = ["rerun"]
    readonly_fields = (
        "kind",
        "region",
        "first_day",
        "last_day",
        "revision",
        "state",
        "error",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "took",
        "row_counts",
        "scheme",
        "download",
    )
    change_list_template = "admin/reports/reportrun/change_list.html"
    download_url_name = "reports_reportrun_download"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        return ("region", "first_day", "last_day") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a report is produced, never edited; a rerun is a new revision

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        run = runs.request_run(
            period=Period(ReportKind.SPECIAL, obj.first_day, obj.last_day),
            region=obj.region,
            requested_by=request.user,
        )
        obj.pk = run.pk  # the add page goes on to the run it made

    def log_addition(self, request, obj, message):
        pass  # the run records who asked for it

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("The special report is being produced; it appears here when ready."),
            messages.SUCCESS,
        )
        return self.response_post_save_add(request, obj)

    @admin.display(description=gettext_lazy("period"), ordering="first_day")
    def period_label(self, obj):
        return obj.period.label()

    @admin.display(description=gettext_lazy("time taken"))
    def took(self, obj):
        duration = obj.duration
        return (
            _("%(seconds).1f s") % {"seconds": duration / timedelta(seconds=1)} if duration else "—"
        )

    @admin.action(description=gettext_lazy("Produce again (a new revision)"), permissions=["add"])
    def rerun(self, request, queryset):
        made = [
            runs.request_run(period=run.period, region=run.region, requested_by=request.user)
            for run in queryset.select_related("region")
        ]
        self.message_user(
            request,
            _("%(n)d report(s) queued again as new revisions.") % {"n": len(made)},
            messages.SUCCESS,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(self.dashboard_view), name="reports_reportrun_dashboard"),
            *super().get_urls(),
        ]

    def job_file_name(self, obj):
        return obj.file_name()

    def dashboard_view(self, request):
        """The month or quarter so far of a region: read-only, from the rollups."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        regions = dashboard.dashboard_regions()
        chosen = request.GET.get("region", "")
        region = next((r for r in regions if str(r.pk) == chosen), regions[0] if regions else None)
        choice = request.GET.get("period", "month")
        if not dashboard.valid_period_choice(choice):
            choice = "month"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dashboard"),
            "opts": self.model._meta,
            "regions": regions,
            "period_choices": dashboard.PERIOD_CHOICES,
            "period_choice": choice,
        }
        if region is not None:
            period = dashboard.dashboard_period(choice, timezone.localdate())
            context.update(dashboard.dashboard(region=region, period=period))
            context["chart_data"] = dashboard.chart_data(context)
        return TemplateResponse(request, "admin/reports/dashboard.html", context)
