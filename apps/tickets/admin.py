from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import (
    BigTableAdminMixin,
    SingletonAdmin,
    TimelineHistoryMixin,
)
from apps.core.excel import xlsx_response
from apps.directory.models import Unit

from . import big_exports, services, supervision
from .admin_filters import (
    ItemCodeFilter,
    OverdueFilter,
    ReceivedFilter,
    RegionScopeFilter,
    RoutingFilter,
    UnitFilter,
)
from .exporters import EXPORT_LIMIT, export_tickets
from .handling_admin import UnitHandlingMixin
from .models import DeadlinePolicy, DeadlineRule, SupervisionPolicy, Ticket, TicketEvent
from .supervision_admin import SupervisionNoticeInline


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ("at", "type", "unit", "actor", "platform", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Timeline")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit__region", "actor")


# Tickets one staff action handles at once.
ACTION_LIMIT = 200


class ManualNoticeForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the notice"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("What the unit must do; the deadline and the ticket are added for you."),
    )


class RerouteForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ModelChoiceField(
            label=_("New responsible unit"),
            queryset=Unit.objects.active(),
            widget=AutocompleteSelect(Ticket._meta.get_field("unit"), admin_site),
        )


@admin.register(Ticket)
class TicketAdmin(UnitHandlingMixin, TimelineHistoryMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = (
        "external_id",
        "platform",
        "urgency",
        "status",
        "unit",  # 市公安局（南通市）: the region is in the unit's name, not a column of its own
        "received_at",
        "deadline_state",  # with the circular (通报) mark: one column fewer at 1,366 px
    )
    list_filter = (
        OverdueFilter,
        "status",
        "urgency",
        "source_platform",
        UnitFilter,
        ReceivedFilter,
        "region",
        RegionScopeFilter,
        RoutingFilter,
        ItemCodeFilter,
    )
    # Declared for the search box; get_search_results decides what a term matches.
    search_fields = ("external_id", "summary")
    search_help_text = _(
        "Part of the ticket number or of the summary; command-centre staff also find the "
        "caller's number (at least 4 digits)."
    )
    # Only orderings an index serves: sorting a million rows by another column would not be.
    sortable_by = ("received_at",)
    list_select_related = ("unit__region", "region")
    list_per_page = 50
    inlines = (SupervisionNoticeInline, TicketEventInline)
    actions = ("export_xlsx", "send_supervision_notice", "reroute")
    change_form_template = "admin/tickets/ticket/change_form.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "source_platform",
                    "external_id",
                    "status",
                    "region",
                    "unit",
                    "co_units",
                    "urgency",
                    "event_level",
                    "needs_on_site",
                    "summary",
                    "phone",
                    "restriction",
                    "channel",
                    "transfer_method",
                    "diversion_item",
                    "diversion_list",
                    "routing_round",
                )
            },
        ),
        (
            _("Milestones"),
            {
                "fields": (
                    "received_at",
                    "transferred_at",
                    "signed_at",
                    "arrived_at",
                    "replied_at",
                    "completed_at",
                    "returned_at",
                    "return_reason",
                    "return_note",
                    "rated_at",
                    "rating",
                )
            },
        ),
        (
            _("Deadlines"),
            {
                "fields": (
                    "sign_by",
                    "arrive_by",
                    "reply_by",
                    "complete_by",
                    "next_due_at",
                    "circular_at",
                )
            },
        ),
    )

    class Media:
        js = ("js/autocomplete_filter.js",)

    @property
    def media(self):
        unit_widget = AutocompleteSelect(Ticket._meta.get_field("unit"), self.admin_site)
        return super().media + unit_widget.media

    def get_fieldsets(self, request, obj=None):
        # Only staff see the caller's full number; everyone else the masked one.
        phone = "caller_phone" if request.user.is_command_staff else "masked_phone"
        return [
            (title, {"fields": [phone if f == "phone" else f for f in opts["fields"]]})
            for title, opts in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [f for _title, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False  # tickets arrive from the platforms

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("source platform"), ordering="source_platform")
    def platform(self, obj):
        return obj.source_platform  # "12345" / "110": the full names crowd the list

    @admin.display(description=_("caller phone"))
    def masked_phone(self, obj):
        return obj.masked_caller_phone

    @admin.display(description=_("next deadline"), ordering="next_due_at")
    def deadline_state(self, obj):
        circular = format_html(' <span class="circular">{}</span>', _("circulated"))
        if obj.next_due_at is None:
            state = "—"
        elif obj.is_overdue():
            when = timezone.localtime(obj.next_due_at).strftime("%m-%d %H:%M")
            state = format_html('<span class="overdue">⚠ {} {}</span>', _("overdue since"), when)
        else:
            state = timezone.localtime(obj.next_due_at).strftime("%m-%d %H:%M")
        return format_html("{}{}", state, circular if obj.circular_at else "")

    timeline_title = _("Timeline")

    def history_timeline(self, ticket):
        return [
            {
                "at": event.at,
                "what": event.get_type_display(),
                "who": event.actor or event.get_platform_display(),
                "details": event.describe(),
            }
            for event in ticket.events.select_related("unit__region", "actor").order_by("at", "id")
        ]

    def get_search_results(self, request, queryset, search_term):
        """Every word must appear in the ticket number or the summary. Only staff may
        match the caller's number: anyone else could read it back digit by digit. On
        PostgreSQL the trigram indexes of migration 0013 serve these very lookups."""
        for word in search_term.split():
            match = Q(external_id__icontains=word) | Q(summary__icontains=word)
            if request.user.is_command_staff and word.isdigit() and len(word) >= 4:
                match |= Q(caller_phone__contains=word)
            queryset = queryset.filter(match)
        return queryset, False

    @admin.action(description=_("Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        # The queryset is what this person may see (get_queryset): a liaison exports the
        # own unit's tickets. Counting at most one row past the limit stays cheap. More
        # than a request can write is made by a worker, from the list's own filters.
        if queryset[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
            export = big_exports.request_export(user=request.user, query=dict(request.GET.lists()))
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "More than %(n)s tickets: the export is made in the background and "
                        "its download link comes to your inbox."
                    )
                    % {"n": f"{EXPORT_LIMIT:,}"},
                    reverse("admin:tickets_ticketexport_change", args=[export.pk]),
                    _("See its progress"),
                ),
                messages.SUCCESS,
            )
            return None
        name = _("tickets-%(moment)s.xlsx") % {"moment": f"{timezone.localtime():%Y%m%d-%H%M}"}
        return xlsx_response(export_tickets(queryset), name)

    # --- staff actions --------------------------------------------------------------------

    @admin.action(description=_("Send supervision notice"), permissions=["supervise"])
    def send_supervision_notice(self, request, queryset):
        form = ManualNoticeForm(request.POST if "text" in request.POST else None)
        if form.is_valid():
            issued = [
                n
                for n in (
                    supervision.issue_notice_now(
                        t, issued_by=request.user, text=form.cleaned_data["text"]
                    )
                    for t in queryset[:ACTION_LIMIT]
                )
                if n
            ]
            self.message_user(
                request,
                _(
                    "%(n)d supervision notice(s) issued: %(numbers)s. Tickets without an "
                    "open deadline were skipped."
                )
                % {"n": len(issued), "numbers": "、".join(n.number for n in issued) or "—"},
                messages.SUCCESS if issued else messages.WARNING,
            )
            return None
        return self._action_form(
            request,
            queryset,
            form,
            action="send_supervision_notice",
            title=_("Send supervision notice"),
            intro=_(
                "Each ticket below gets a numbered supervision notice with your text, for its "
                "earliest unmet deadline, also if the scan has noticed it already."
            ),
            submit=_("Send"),
        )

    @admin.action(description=_("Re-route to another unit"), permissions=["supervise"])
    def reroute(self, request, queryset):
        form = RerouteForm(
            request.POST if "unit" in request.POST else None, admin_site=self.admin_site
        )
        if form.is_valid():
            done = 0
            for ticket in queryset:
                try:
                    services.reroute(ticket, form.cleaned_data["unit"], actor=request.user)
                    done += 1
                except ValidationError as exc:
                    self.message_user(request, f"{ticket}: {exc.messages[0]}", messages.ERROR)
            self.message_user(
                request,
                _("%(n)d ticket(s) re-routed with fresh deadlines.") % {"n": done},
                messages.SUCCESS,
            )
            return None
        return self._action_form(
            request,
            queryset,
            form,
            action="reroute",
            title=_("Re-route to another unit"),
            intro=_(
                "The tickets below go to the chosen unit with fresh deadlines; their history "
                "is kept."
            ),
            submit=_("Re-route"),
        )

    def _action_form(self, request, queryset, form, *, action, title, intro, submit):
        """The intermediate page of an action that asks for more than the selection."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "intro": intro,
            "submit": submit,
            "action": action,
            "form": form,
            "tickets": queryset.select_related("unit__region")[:ACTION_LIMIT],
            "media": self.media + form.media,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tickets/ticket/action_form.html", context)

    def has_supervise_permission(self, request):
        return request.user.is_command_staff


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "urgency", "linkage_tier", "priority", "is_active", "source")
    list_filter = ("is_active", "urgency", "linkage_tier")
    inlines = (DeadlineRuleInline,)

    def get_fieldsets(self, request, obj=None):
        # Staff should know when an edit takes effect (intake keeps policies a few seconds).
        description = _(
            "Changes apply to tickets received from at most %(seconds)s seconds after "
            "saving; the deadlines of tickets already received stay as they are."
        ) % {"seconds": f"{settings.TICKET_INTAKE_CACHE_SECONDS:g}"}
        fields = self.get_fields(request, obj)
        return [(None, {"fields": fields, "description": description})]


@admin.register(SupervisionPolicy)
class SupervisionPolicyAdmin(SingletonAdmin):
    list_display = (
        "__str__",
        "warning_percent",
        "escalate_after_minutes",
        "circulate_after_minutes",
    )


# The big exports have their own page.
from . import exports_admin  # noqa: E402, F401
