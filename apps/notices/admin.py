from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import SingletonAdmin

from . import services
from .models import DeliveryPolicy, Notice, NoticeRecipient


class NoticeRecipientInline(admin.TabularInline):
    """How the notice went to each person (staff only: it lists addresses)."""

    model = NoticeRecipient
    fields = ("channel", "user", "address", "status", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_command_staff


class AcknowledgedFilter(admin.SimpleListFilter):
    """Notices waiting for acknowledgement, or acknowledged; ``path`` leads from the
    listed model to its notice (a supervision notice's is ``notice__``)."""

    title = _("acknowledged")
    parameter_name = "acknowledged"
    path = ""

    def lookups(self, request, model_admin):
        return [("no", _("Not yet acknowledged")), ("yes", _("Acknowledged"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(
                **{
                    f"{self.path}requires_acknowledgement": True,
                    f"{self.path}acknowledged_at__isnull": True,
                }
            )
        if self.value() == "yes":
            return queryset.filter(**{f"{self.path}acknowledged_at__isnull": False})
        return queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Each person's inbox, with every notice's whole text; staff see every notice, and
    filter those nobody could receive."""

    list_display = (
        "title",
        "kind",
        "addressed_to",
        "created_at",
        "state",
        "read_at",
        "acknowledged_at",
    )
    list_filter = ("kind", "state", AcknowledgedFilter)
    search_fields = ("title", "number", "addressed_to")
    readonly_fields = (
        "number",
        "kind",
        "addressed_to",
        "title",
        "text",
        "link_display",
        "created_at",
        "issued_by",
        "state",
        "delivered_at",
        "read_at",
        "acknowledged_at",
        "acknowledged_by",
    )
    fields = readonly_fields
    inlines = (NoticeRecipientInline,)
    actions = ("acknowledge",)
    date_hierarchy = "created_at"

    @admin.display(description=_("text"))
    def text(self, obj):
        return format_html('<div style="white-space: pre-line">{}</div>', obj.body)

    @admin.display(description=_("link"))
    def link_display(self, obj):
        # Links are written by the product, never by people: paths inside the site only.
        if obj.link.startswith("/") and not obj.link.startswith("//"):
            return format_html('<a href="{}">{}</a>', obj.link, _("Open"))
        return "—"

    # The page of a notice that asks for it has the acknowledge button (the list's action).
    change_form_template = "admin/notices/notice/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        if (
            request.method == "GET"
            and notice is not None
            and notice.recipients.filter(user_id=request.user.pk).exists()
        ):
            services.mark_read(notice)
        extra = {
            **(extra_context or {}),
            "may_acknowledge": notice is not None
            and services.may_acknowledge(request.user, notice),
        }
        return super().change_view(request, object_id, form_url, extra)

    @admin.action(description=_("Acknowledge"), permissions=["view"])
    def acknowledge(self, request, queryset):
        done = sum(
            services.acknowledge(n, request.user)
            for n in queryset
            if services.may_acknowledge(request.user, n)
        )
        self.message_user(
            request, _("%(n)d notice(s) acknowledged.") % {"n": done}, messages.SUCCESS
        )


@admin.register(DeliveryPolicy)
class DeliveryPolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "max_attempts", "retry_after_minutes", "stale_after_minutes")
