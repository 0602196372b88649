"""The files of a meeting in the admin: its pack, its minutes and the minutes
attachments, downloaded by whoever may see the meeting and removed by staff."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from apps.core.admin import stored_file_response
from apps.core.excel import XLSX

from . import minutes, pack
from .models import MeetingStatus

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class MeetingFilesMixin:
    """For ``JointMeetingAdmin``: its ``get_queryset`` decides who sees a meeting, its
    ``_posted`` runs a button's step."""

    def file_urls(self):
        view = self.admin_site.admin_view
        name = "disputes_jointmeeting_"
        return [
            path("<int:pk>/pack/<str:kind>/", view(self.pack_view), name=name + "pack"),
            path(
                "<int:pk>/attachments/<int:attachment_id>/",
                view(self.attachment_view),
                name=name + "attachment",
            ),
            path(
                "<int:pk>/attachments/<int:attachment_id>/remove/",
                view(self.remove_attachment_view),
                name=name + "attachment_remove",
            ),
        ]

    def pack_view(self, request, pk, kind):
        """The meeting pack (.xlsx or .docx), or the minutes (.docx) once it was held."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        held = meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
        builders = {
            "xlsx": (pack.pack_xlsx, _("meeting pack"), "xlsx", XLSX),
            "docx": (pack.pack_docx, _("meeting pack"), "docx", DOCX),
            "minutes": (pack.minutes_docx, _("meeting minutes"), "docx", DOCX),
        }
        if kind not in builders or (kind == "minutes" and not held):
            raise Http404
        build, label, extension, content_type = builders[kind]
        response = HttpResponse(build(meeting), content_type=content_type)
        filename = f"{meeting.number}{label}.{extension}"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def attachment_view(self, request, pk, attachment_id):
        """A minutes file, to whoever may see the meeting; GET only, never run inline."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        attachment = get_object_or_404(meeting.attachments, pk=attachment_id)
        return stored_file_response(
            attachment.file, content_type=attachment.content_type, name=attachment.name
        )

    def remove_attachment_view(self, request, pk, attachment_id):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        attachment = get_object_or_404(meeting.attachments, pk=attachment_id)
        if not minutes.may_change_attachments(request.user, meeting):
            raise PermissionDenied
        return self._posted(
            request,
            meeting,
            lambda: minutes.remove_attachment(attachment, actor=request.user),
            lambda: _("The attachment “%(name)s” is removed.") % {"name": attachment.name},
        )
