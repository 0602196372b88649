"""Supervision notices in the admin: the unit's supervision inbox and the ticket's inline.

Reading, acknowledging and delivery are the notice system's (``apps.notices``); these
pages show them beside the ticket, milestone and number.
"""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AutocompleteFilter, BigTableAdminMixin
from apps.core.timestamps import local_minute
from apps.notices import services as notices
from apps.notices.admin import AcknowledgedFilter

from .models import SupervisionNotice


class NoticeStateColumns:
    """The notice system's state of a supervision notice, as columns."""

    @admin.display(description=_("number"), ordering="id")
    def number_display(self, obj):
        return obj.number

    @admin.display(description=_("delivered at"))
    def delivered(self, obj):
        return local_minute(obj.notice.delivered_at)

    @admin.display(description=_("read at"))
    def read(self, obj):
        return local_minute(obj.notice.read_at)

    @admin.display(description=_("acknowledged at"), ordering="notice__acknowledged_at")
    def acknowledged_state(self, obj):
        if obj.notice.acknowledged_at:
            return local_minute(obj.notice.acknowledged_at)
        return format_html('<span class="overdue">{}</span>', _("not yet acknowledged"))


class SupervisionNoticeInline(NoticeStateColumns, admin.TabularInline):
    model = SupervisionNotice
    fields = (
        "number_display",
        "level",
        "milestone",
        "deadline",
        "created_at",
        "issued_by",
        "delivered",
        "read",
        "acknowledged_state",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Supervision notices")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notice", "issued_by")

    def has_add_permission(self, request, obj=None):
        return False


class NoticeAcknowledgedFilter(AcknowledgedFilter):
    path = "notice__"


class NoticeUnitFilter(AutocompleteFilter):
    title = _("unit")
    field_name = "unit"


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(NoticeStateColumns, BigTableAdminMixin, admin.ModelAdmin):
    """The supervision inbox: a liaison sees the own unit's notices and acknowledges them."""

    list_display = (
        "number_display",
        "level",
        "ticket",
        "unit",
        "milestone",
        "deadline",
        "created_at",
        "read",
        "acknowledged_state",
    )
    list_filter = (NoticeAcknowledgedFilter, "level", "milestone", NoticeUnitFilter)
    list_select_related = ("ticket", "unit__region", "notice")
    search_fields = ("=ticket__external_id",)
    readonly_fields = (
        "number_display",
        "ticket",
        "routing_round",
        "unit",
        "milestone",
        "level",
        "deadline",
        "created_at",
        "issued_by",
        "text",
        "delivered",
        "read",
        "acknowledged_state",
        "acknowledged_by",
    )
    fields = readonly_fields
    actions = ("acknowledge",)
    change_form_template = "admin/tickets/supervisionnotice/change_form.html"

    class Media:
        js = ("js/autocomplete_filter.js",)

    @property
    def media(self):
        widget = AutocompleteSelect(SupervisionNotice._meta.get_field("unit"), self.admin_site)
        return super().media + widget.media

    @admin.display(description=_("text"))
    def text(self, obj):
        return format_html('<div style="white-space: pre-line">{}</div>', obj.notice.body)

    @admin.display(description=_("acknowledged by"))
    def acknowledged_by(self, obj):
        return obj.notice.acknowledged_by or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        if request.method == "GET" and notice is not None and request.user.is_liaison:
            notices.mark_read(notice.notice)
        extra = dict(extra_context or {})
        extra["can_acknowledge"] = bool(notice and self._may_acknowledge(request, notice))
        return super().change_view(request, object_id, form_url, extra)

    def _may_acknowledge(self, request, supervision):
        return notices.may_acknowledge(request.user, supervision.notice)

    def get_urls(self):
        return [
            path(
                "<int:pk>/acknowledge/",
                self.admin_site.admin_view(self.acknowledge_view),
                name="tickets_supervisionnotice_acknowledge",
            ),
            *super().get_urls(),
        ]

    def acknowledge_view(self, request, pk):
        supervision = get_object_or_404(self.get_queryset(request).select_related("notice"), pk=pk)
        if request.method != "POST" or not self._may_acknowledge(request, supervision):
            raise PermissionDenied
        notices.acknowledge(supervision.notice, request.user)
        self.message_user(
            request,
            _("Notice %(number)s acknowledged.") % {"number": supervision.number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:tickets_supervisionnotice_change", args=[pk]))

    @admin.action(description=_("Acknowledge"), permissions=["view"])
    def acknowledge(self, request, queryset):
        done = sum(
            notices.acknowledge(s.notice, request.user)
            for s in queryset.select_related("notice")
            if self._may_acknowledge(request, s)
        )
        self.message_user(
            request, _("%(n)d notice(s) acknowledged.") % {"n": done}, messages.SUCCESS
        )
