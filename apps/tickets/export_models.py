"""A ticket export too big for a web request, made in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import JobStatus
from apps.core.timestamps import local_minute


class TicketExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each person sees the exports they asked for."""
        return self.filter(requested_by=user)


def export_path(export, filename):
    return f"exports/{export.requested_at:%Y/%m}/{filename}"


class TicketExport(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The ticket list's filters and search as the person had them (its query string).
    query = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("tickets"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TicketExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket export")
        verbose_name_plural = _("ticket exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return _("Ticket export of %(moment)s") % {"moment": local_minute(self.requested_at)}
