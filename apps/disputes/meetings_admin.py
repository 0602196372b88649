"""Joint meetings and action items in the admin.

Staff draft, confirm and hold meetings, keep attendance, agenda and minutes, and add the
action items; a liaison sees the meetings the own unit is invited to, records its
attendance and reports on its action items; leadership reads. The rules are in
``meetings`` (``may_*``); these pages ask for the details and call them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import errors_into_form

from . import meetings, minutes
from .meeting_files_admin import MeetingFilesMixin
from .meeting_forms import (
    ActionItemForm,
    AgendaDisputeForm,
    AttendanceForm,
    MinutesAttachmentForm,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    JointMeeting,
    MeetingStatus,
    MinutesAttachment,
)


class MeetingInline:
    """Inlines editable by staff until the minutes are approved, read by the others."""

    extra = 0

    def _editable(self, request, obj):
        return obj is None or (request.user.is_command_staff and not obj.is_read_only)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class AttendanceInline(MeetingInline, admin.TabularInline):
    """Invites units; whether each came is recorded on its attendance page, through
    ``meetings.record_attendance`` (the rules of who may record it and what it needs)."""

    model = Attendance
    fields = ("unit", "presence", "attendee", "absence_reason", "record")
    readonly_fields = ("presence", "attendee", "absence_reason", "record")
    autocomplete_fields = ("unit",)

    @admin.display(description=_("attendance"))
    def record(self, obj):
        if obj.pk is None or obj.meeting.is_read_only:
            return "—"
        url = reverse("admin:disputes_jointmeeting_attendance", args=[obj.meeting_id, obj.unit_id])
        return format_html('<a href="{}">{}</a>', url, _("Record attendance"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit__region", "meeting")


class AgendaItemInline(MeetingInline, admin.TabularInline):
    model = AgendaItem
    fields = ("order", "kind", "title", "dispute", "outcome")
    readonly_fields = ("kind", "dispute")
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 36})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 48})},
        models.PositiveSmallIntegerField: {
            "widget": forms.NumberInput(attrs={"style": "width:4em"})
        },
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dispute")


class MinutesAttachmentInline(MeetingInline, admin.TabularInline):
    """Adds files; those stored are listed on the page with their download (the file's
    own storage address is never shown)."""

    model = MinutesAttachment
    form = MinutesAttachmentForm
    fields = ("file",)
    verbose_name_plural = _("Add minutes attachments")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    fields = ("owner", "description", "due_by", "status", "update")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # the action item page checks the deadline against the calendar

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner__region")


@admin.register(JointMeeting)
class JointMeetingAdmin(MeetingFilesMixin, admin.ModelAdmin):
    list_display = ("number", "title", "kind", "region", "starts_at", "status")
    list_filter = ("status", "kind", "region")
    search_fields = ("title", "place")
    list_select_related = ("region",)
    inlines = (AttendanceInline, AgendaItemInline, MinutesAttachmentInline, ActionItemInline)
    change_form_template = "admin/disputes/jointmeeting/change_form.html"
    fields = (
        "number",
        "status",
        "region",
        "kind",
        "quarter",
        "title",
        "starts_at",
        "place",
        "convener",
        "deputy_conveners",
        "organiser",
        "minutes",
        "agenda_sent_at",
        "held_at",
        "minutes_approved_at",
        "minutes_approved_by",
    )
    STAMPS = (
        "number",
        "status",
        "agenda_sent_at",
        "held_at",
        "minutes_approved_at",
        "minutes_approved_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description=_("number"), ordering="serial")
    def number(self, obj):
        return obj.number

    def get_fields(self, request, obj=None):
        if obj is None:
            return [f for f in self.fields if f not in self.STAMPS and f != "minutes"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.is_read_only or not self.has_change_permission(request, obj):
            return self.fields
        fixed = [*self.STAMPS, "region", "kind", "quarter"]
        if obj.status != MeetingStatus.HELD:
            fixed.append("minutes")  # written once the meeting is held
        return fixed

    def has_delete_permission(self, request, obj=None):
        return False  # numbered: a meeting that will not happen stays a draft

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        made = meetings.create_meeting(
            region=data["region"],
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            convener=data["convener"],
            deputy_conveners=data["deputy_conveners"],
            quarter=data["quarter"],
            created_by=request.user,
        )
        obj.__dict__.update(made.__dict__)  # the admin goes on with the object it made
        return None

    def save_formset(self, request, form, formset, change):
        if formset.model is MinutesAttachment:
            for attachment in formset.save(commit=False):
                attachment.uploaded_by_id = attachment.uploaded_by_id or request.user.pk
                attachment.save()
            for gone in formset.deleted_objects:
                gone.delete()
            return
        super().save_formset(request, form, formset, change)

    # --- the meeting's page ---------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if meeting is not None:
            extra.update(self._page_context(request, meeting))
        return super().change_view(request, object_id, form_url, extra)

    def _page_context(self, request, meeting):
        user = request.user
        staff = meetings.may_manage(user)
        steps = {
            MeetingStatus.DRAFT: ("confirm", _("Confirm and send the agenda")),
            MeetingStatus.CONFIRMED: ("hold", _("Mark as held")),
            MeetingStatus.HELD: ("approve", _("Approve the minutes")),
        }
        own = [
            a
            for a in meeting.attendance.select_related("unit__region")
            if meetings.may_record_for_unit(user, meeting, a.unit) and not staff
        ]
        return {
            "step": steps.get(meeting.status) if staff else None,
            "may_plan": staff and meeting.status in (MeetingStatus.DRAFT, MeetingStatus.CONFIRMED),
            "may_add_actions": staff
            and meeting.status in (MeetingStatus.CONFIRMED, MeetingStatus.HELD),
            "own_attendance": own,
            "attachments": meeting.attachments.all(),
            "may_remove_attachments": minutes.may_change_attachments(user, meeting),
            "held": meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED),
        }

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "disputes_jointmeeting_"
        return [
            path("<int:pk>/step/<str:step>/", view(self.step_view), name=name + "step"),
            path("<int:pk>/agenda/", view(self.agenda_view), name=name + "agenda"),
            path("<int:pk>/actions/", view(self.action_view), name=name + "action"),
            path(
                "<int:pk>/attendance/<int:unit_pk>/",
                view(self.attendance_view),
                name=name + "attendance",
            ),
            *self.file_urls(),
            *super().get_urls(),
        ]

    STEPS = {
        "confirm": meetings.confirm,
        "hold": meetings.mark_held,
        "approve": meetings.approve_minutes,
    }

    def step_view(self, request, pk, step):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        if step not in self.STEPS or not meetings.may_manage(request.user):
            raise PermissionDenied
        return self._posted(
            request,
            meeting,
            lambda: self.STEPS[step](meeting, actor=request.user),
            lambda: (
                _("The meeting is now “%(status)s”.")
                % {"status": JointMeeting.objects.get(pk=pk).get_status_display()}
            ),
        )

    def _posted(self, request, meeting, call, done):
        """A step without a form (a button): POST only; its refusal or ``done()`` shown
        as a message on the meeting's page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            call()
        except ValidationError as exc:
            for text in exc.messages:
                self.message_user(request, text, messages.ERROR)
        else:
            self.message_user(request, done(), messages.SUCCESS)
        return self._back(meeting)

    def agenda_view(self, request, pk):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        if not meetings.may_manage(request.user):
            raise PermissionDenied
        form = AgendaDisputeForm(request.POST or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            return self._call(
                request,
                meeting,
                form,
                lambda: meetings.put_on_agenda(
                    meeting, form.cleaned_data["dispute"], actor=request.user
                ),
                _("The dispute is on the agenda."),
            )
        return self._form_page(request, meeting, form, _("Put a dispute on the agenda"))

    def action_view(self, request, pk):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        if not meetings.may_manage(request.user):
            raise PermissionDenied
        form = ActionItemForm(request.POST or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            return self._call(
                request,
                meeting,
                form,
                lambda: meetings.add_action_item(meeting, actor=request.user, **form.cleaned_data),
                _("The action item is added."),
            )
        return self._form_page(request, meeting, form, _("Add an action item"))

    def attendance_view(self, request, pk, unit_pk):
        meeting = get_object_or_404(self.get_queryset(request), pk=pk)
        attendance = get_object_or_404(
            meeting.attendance.select_related("unit__region"), unit_id=unit_pk
        )
        if not meetings.may_record_for_unit(request.user, meeting, attendance.unit):
            raise PermissionDenied
        initial = {
            "presence": attendance.presence,
            "attendee": attendance.attendee,
            "absence_reason": attendance.absence_reason,
        }
        form = AttendanceForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            return self._call(
                request,
                meeting,
                form,
                lambda: meetings.record_attendance(
                    meeting, unit=attendance.unit, actor=request.user, **form.cleaned_data
                ),
                _("The attendance of %(unit)s is recorded.") % {"unit": attendance.unit.label},
            )
        title = _("Attendance of %(unit)s") % {"unit": attendance.unit.label}
        return self._form_page(request, meeting, form, title)

    def _call(self, request, meeting, form, call, done):
        try:
            call()
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self._form_page(request, meeting, form, "")
        self.message_user(request, done, messages.SUCCESS)
        return self._back(meeting)

    def _form_page(self, request, meeting, form, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "title": f"{title}：{meeting.number}" if title else meeting.number,
            "form": form,
            "submit": title or _("Save"),
            "media": self.media + form.media,
            "back": reverse("admin:disputes_jointmeeting_change", args=[meeting.pk]),
        }
        return TemplateResponse(request, "admin/disputes/form.html", context)

    def _back(self, meeting):
        return HttpResponseRedirect(
            reverse("admin:disputes_jointmeeting_change", args=[meeting.pk])
        )
