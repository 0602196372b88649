"""The big exports' page: each person's own exports, their progress and download."""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from apps.core.jobs_admin import JobAdminMixin

from .export_models import TicketExport
from .models import Ticket


def listed_tickets(user, query: dict):
    """The tickets ``user``'s ticket list shows with ``query`` (its filters and search):
    the admin's own list, so every filter it offers works here, and only what the person
    may see."""
    ticket_admin = admin.site._registry[Ticket]
    request = RequestFactory().get(reverse("admin:tickets_ticket_changelist"), query)
    request.user = user
    return ticket_admin.get_changelist_instance(request).get_queryset(request)


@admin.register(TicketExport)
class TicketExportAdmin(JobAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "state", "rows", "finished_at", "download")
    list_select_related = ("requested_by",)
    fields = readonly_fields = ("state", "rows", "query", "requested_at", "finished_at", "error")
    download_url_name = "tickets_ticketexport_download"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False  # made from the ticket list's "导出 Excel"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
