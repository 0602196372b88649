"""Action items in the admin: the owner unit's liaison reports progress; staff too, and
may drop one. Added on the meeting's page (the deadline is checked there)."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import meetings
from .meeting_forms import ActionUpdateForm
from .models import ActionItem


class OverdueActionFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("description_short", "owner", "meeting", "due_by", "state", "updated_at")
    list_filter = (OverdueActionFilter, "status")
    search_fields = ("description", "update", "owner__name")
    list_select_related = ("owner__region", "meeting")
    form = ActionUpdateForm
    readonly_fields = (
        "meeting",
        "owner",
        "description",
        "due_by",
        "updated_at",
        "updated_by",
        "done_at",
    )
    fields = (
        "meeting",
        "owner",
        "description",
        "due_by",
        "status",
        "update",
        "updated_at",
        "updated_by",
        "done_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False  # added on the meeting's page

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or meetings.may_update_action(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "update" in form.base_fields:
            form.base_fields["update"].required = True
            if not request.user.is_command_staff:  # only staff drop an action item
                status = form.base_fields["status"]
                status.choices = [c for c in status.choices if c[0] != "dropped"]
        return form

    def save_model(self, request, obj, form, change):
        meetings.update_action_item(
            obj,
            update=form.cleaned_data["update"],
            status=form.cleaned_data["status"],
            actor=request.user,
        )

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except meetings.MeetingRefused as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    @admin.display(description=_("what is to be done"))
    def description_short(self, obj):
        return obj.description[:60]

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        if obj.is_overdue():
            return format_html('<span class="overdue">⚠ {}</span>', _("Overdue"))
        return obj.get_status_display()
