"""One production of one report: what, for where and when, by whom, and how it went."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import JobStatus

from ..periods import Period


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTERLY = "quarterly", _("Quarterly report")
    SPECIAL = "special", _("Special report")


# A report run is a background job like a big export: the same four states.
RunStatus = JobStatus


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Leadership and command-centre staff read every report; nobody else any."""
        if user.is_command_staff or user.is_leadership:
            return self
        return self.none()


def report_path(run, filename):
    return f"reports/{run.first_day:%Y}/{filename}"


class ReportRun(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="report_runs",
        help_text=_("A city's report includes its counties."),
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: produced on schedule (Celery Beat)."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    row_counts = models.JSONField(_("rows per sheet"), default=dict, blank=True)
    scheme = models.ForeignKey(
        "reports.AssessmentScheme",
        verbose_name=_("assessment scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-first_day", "region__division_code", "kind", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "first_day", "last_day", "revision"],
                name="one_report_run_per_revision",
            ),
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")),
                name="report_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="report_run_status")]

    def __str__(self):
        return _("%(region)s %(period)s %(kind)s (revision %(revision)d)") % {
            "region": self.region.name,
            "period": self.period.label(),
            "kind": self.get_kind_display(),
            "revision": self.revision,
        }

    @property
    def period(self) -> Period:
        return Period(self.kind, self.first_day, self.last_day)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    def file_name(self) -> str:
        """The download's name: 南通市_2026-11_月报_第1版.xlsx."""
        parts = [
            self.region.name,
            self.period.label(),
            self.get_kind_display(),
            gettext("revision %(revision)d") % {"revision": self.revision},
        ]
        return "_".join(p.replace(" ", "") for p in parts) + ".xlsx"
