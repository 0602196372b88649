"""The admin side of background files (reports, big exports): one way to show a job's
state, offer its download and keep its list fresh while it is being made."""

import os

from django.contrib import admin
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin import stored_file_response
from .excel import XLSX
from .jobs import JobStatus


class JobAdminMixin:
    """For a model with ``status``, ``progress`` and ``file``. Subclasses name their
    download URL (``download_url_name``); the download is GET only, to whoever may see the
    row (``get_queryset``), under the stored file's name unless ``job_file_name`` says
    otherwise."""

    download_url_name: str
    change_list_template = "admin/job_change_list.html"

    def job_file_name(self, obj) -> str:
        return os.path.basename(obj.file.name)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def state(self, obj):
        if obj.status == JobStatus.RUNNING:
            return _("Running, %(progress)d%%") % {"progress": obj.progress}
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("download"))
    def download(self, obj):
        if obj.status != JobStatus.DONE or not obj.file:
            return "—"
        url = reverse(f"admin:{self.download_url_name}", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/download/", view(self.download_view), name=self.download_url_name),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_view_permission(request):
            raise Http404
        job = get_object_or_404(self.get_queryset(request), pk=pk, status=JobStatus.DONE)
        if not job.file:
            raise Http404
        return stored_file_response(job.file, content_type=XLSX, name=self.job_file_name(job))

    def changelist_view(self, request, extra_context=None):
        # The list reloads itself every few seconds while something is being made.
        busy = (
            self.get_queryset(request)
            .filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .exists()
        )
        return super().changelist_view(request, {**(extra_context or {}), "refresh": busy})
