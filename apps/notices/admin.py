from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Each person's inbox; staff see every notice."""

    list_display = (
        "title",
        "recipient",
        "unit",
        "kind",
        "created_at",
        "emailed_at",
        "read_at",
        "acknowledged_at",
    )
    list_filter = ("kind", ("acknowledged_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "body")
    list_select_related = ("recipient", "unit")
    readonly_fields = (
        "recipient",
        "unit",
        "kind",
        "title",
        "body",
        "created_at",
        "emailed_at",
        "read_at",
        "acknowledged_at",
    )
    actions = ("acknowledge",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_command_staff else qs.for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        if (
            request.method == "GET"
            and notice is not None
            and notice.recipient_id == request.user.pk
        ):
            services.mark_read(notice)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Acknowledge"), permissions=["view"])
    def acknowledge(self, request, queryset):
        mine = queryset.for_user(request.user)
        for notice in mine:
            services.acknowledge(notice)
        self.message_user(
            request, _("%(n)d notice(s) acknowledged.") % {"n": len(mine)}, messages.SUCCESS
        )
