"""A unit's own steps on its ticket in the admin: sign, on site, reply and complete with
a handling result (text and files), return (退回) with a reason; and the files' download.

Who may record which step is ``services.may_record``; what may follow what is the
lifecycle table. These views only ask for the details and call the services.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.admin import stored_file_response

from . import attachments, flags, services
from .lifecycle import OPEN_STATUSES, REPORTING_EVENTS, may_follow
from .models import ReturnReason, TicketAttachment, TicketEvent


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; their kind and size are checked by ``attachments``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(FilesField, self).clean(f, initial) for f in files]


class HandlingResultForm(forms.Form):
    result = forms.CharField(
        label=_("Handling result"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("What the unit did and found, as the caller will be told."),
    )
    files = FilesField(
        label=_("Photos or documents"),
        required=False,
        help_text=_("JPEG or PNG photos, or PDF documents."),
    )

    def clean_files(self):
        try:
            return attachments.check(self.cleaned_data["files"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def event_data(self):
        return {"result": self.cleaned_data["result"], "attachments": self.cleaned_data["files"]}


class ReturnForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    reason_text = forms.CharField(
        label=_("Explanation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Why the ticket is not this unit's, and whose it is if known."),
    )

    def event_data(self):
        return dict(self.cleaned_data)


# The steps a unit takes on its own ticket: (event, button label, form asking for details).
# The steps that report (lifecycle.REPORTING_EVENTS) ask for the handling result.
UNIT_ACTIONS = {
    name: (event, label, HandlingResultForm if event in REPORTING_EVENTS else form)
    for name, (event, label, form) in {
        "sign": (TicketEvent.Type.SIGNED, _("Sign"), None),
        "arrive": (TicketEvent.Type.ARRIVED, _("Arrived on site"), None),
        "reply": (TicketEvent.Type.REPLIED, _("Reply"), None),
        "complete": (TicketEvent.Type.COMPLETED, _("Complete"), None),
        "return": (TicketEvent.Type.RETURNED, _("Return (退回)"), ReturnForm),
    }.items()
}


class UnitHandlingMixin:
    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if ticket is not None:
            extra["unit_actions"] = self._unit_actions(request, ticket)
            extra["ticket_attachments"] = ticket.attachments.select_related("event")
            extra["ticket_flags"] = flags.flags_for(ticket, request.user)
        return super().change_view(request, object_id, form_url, extra)

    def _unit_actions(self, request, ticket):
        """(name, label, asks for details) of the steps this person may take now."""
        if ticket.status not in OPEN_STATUSES:
            return []
        return [
            (name, label, form is not None)
            for name, (event_type, label, form) in UNIT_ACTIONS.items()
            if may_follow(event_type, ticket.status)
            and (name != "arrive" or ticket.needs_on_site)
            and services.may_record(request.user, ticket, event_type)
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/act/<str:action_name>/", view(self.act_view), name="tickets_ticket_act"),
            path(
                "<int:pk>/attachments/<int:attachment_id>/",
                view(self.attachment_view),
                name="tickets_ticket_attachment",
            ),
            *super().get_urls(),
        ]

    def act_view(self, request, pk, action_name):
        ticket = get_object_or_404(self.get_queryset(request), pk=pk)
        if action_name not in UNIT_ACTIONS:
            raise PermissionDenied
        event_type, label, form_class = UNIT_ACTIONS[action_name]
        if not services.may_record(request.user, ticket, event_type):
            raise PermissionDenied
        if form_class is None or not may_follow(event_type, ticket.status):
            # Nothing to ask, or nothing to ask for: the service says why it is refused.
            if request.method != "POST":
                raise PermissionDenied
            return self._record(request, ticket, event_type, label, {})
        form = form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._record(request, ticket, event_type, label, form.event_data())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": ticket,
            "title": f"{label}：{ticket}",
            "form": form,
            "submit": label,
        }
        return TemplateResponse(request, "admin/tickets/ticket/step_form.html", context)

    def _record(self, request, ticket, event_type, label, data):
        try:
            services.record_event(ticket, event_type, timezone.now(), actor=request.user, **data)
        except ValidationError as exc:
            self.message_user(request, exc.messages[0], messages.ERROR)
        else:
            self.message_user(
                request, _("Recorded: %(action)s.") % {"action": label}, messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    def attachment_view(self, request, pk, attachment_id):
        """A file, to whoever may see its ticket; GET only, and never run in the browser."""
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        ticket = get_object_or_404(self.get_queryset(request), pk=pk)
        attachment = get_object_or_404(TicketAttachment, pk=attachment_id, ticket=ticket)
        return stored_file_response(
            attachment.file,
            content_type=attachment.content_type,
            name=attachment.name,
            as_attachment=attachment.content_type == "application/pdf",
        )
