"""Disputes in the admin: staff raise, move and decide them; a liaison states the own
unit's position; leadership reads. Who may do what is ``services.may_*``."""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import SingletonAdmin, TimelineHistoryMixin
from apps.tickets.lifecycle import OPEN_STATUSES
from apps.tickets.models import Ticket

from . import selectors, services
from .dispute_pages import MOVE_FORMS, DisputePagesMixin
from .forms import RaiseDisputeForm
from .models import DisputePolicy, JurisdictionDispute
from .workflow import DisputeStatus, Move, may_move

EVIDENCE_SHOWN = 100


@admin.register(JurisdictionDispute)
class JurisdictionDisputeAdmin(DisputePagesMixin, TimelineHistoryMixin, admin.ModelAdmin):
    list_display = ("number", "title", "region", "status", "lead_unit", "raised_at")
    list_filter = ("status", "origin", "region")
    search_fields = ("title", "matter", "item_code")
    search_help_text = _("Words of the title or the matter, an item code, or the number.")
    list_select_related = ("region", "lead_unit__region")
    autocomplete_fields = ("diversion_item", "raised_by_unit")
    change_form_template = "admin/disputes/jurisdictiondispute/change_form.html"
    readonly_fields = (
        "number",
        "status",
        "interim_rule",
        "raised_at",
        "raised_by",
        "merged_into",
        "closing_note",
        "lead_unit",
        "co_unit_names",
        "handling_norm",
        "effective_date",
        "decided_at",
        "implemented_in",
        "implemented_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "status",
                    "region",
                    "title",
                    "matter",
                    "diversion_item",
                    "origin",
                    "raised_by_unit",
                    "raised_by",
                    "raised_at",
                    "interim_rule",
                    "merged_into",
                    "closing_note",
                )
            },
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "lead_unit",
                    "co_unit_names",
                    "handling_norm",
                    "effective_date",
                    "decided_at",
                    "implemented_in",
                    "implemented_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            admin_site = self.admin_site

            class RaiseForm(RaiseDisputeForm):  # its autocomplete widgets need the admin site
                def __init__(self, *args, **kw):
                    super().__init__(*args, admin_site=admin_site, **kw)

            return RaiseForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": (*RaiseDisputeForm.Meta.fields, "units", "tickets")})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if not obj.is_undecided or not self.has_change_permission(request, obj):
            return [f for _t, opts in self.fieldsets for f in opts["fields"]]
        return (*self.readonly_fields, "region", "origin", "raised_by_unit")

    def has_change_permission(self, request, obj=None):
        # Decided, implemented or closed: the record, read only (moves have their pages).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_undecided)

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, never deleted: the numbers run without gaps

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        raised = services.raise_dispute(
            region=data["region"],
            title=data["title"],
            matter=data["matter"],
            origin=data["origin"],
            item=data["diversion_item"],
            raised_by=request.user,
            raised_by_unit=data["raised_by_unit"],
            units=data["units"],
            tickets=data["tickets"],
        )
        obj.__dict__.update(raised.__dict__)  # the admin goes on with the object it made
        return None

    @admin.display(description=_("number"), ordering="serial")
    def number(self, obj):
        return obj.number

    @admin.display(description=_("co-units (协办单位)"))
    def co_unit_names(self, obj):
        return "、".join(u.label for u in obj.co_units.select_related("region")) or "—"

    @admin.display(description=_("meanwhile"))
    def interim_rule(self, obj):
        if not obj.is_undecided:
            return "—"
        return _(
            "Until it is decided, the platform that first receives a call about this matter "
            "handles it (首接负责制)."
        )

    def get_search_results(self, request, queryset, search_term):
        # 争议〔2026〕001 (or 2026-1, 2026〔001〕…): the number is not a column.
        digits = [int(d) for d in re.findall(r"\d+", search_term)]
        if len(digits) == 2 and 2000 <= digits[0] <= 2099 and digits[1] < 10**6:
            return queryset.filter(year=digits[0], serial=digits[1]), False
        return super().get_search_results(request, queryset, search_term)

    # --- the dispute's page -----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dispute = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if dispute is not None:
            extra.update(self._page_context(request, dispute))
        return super().change_view(request, object_id, form_url, extra)

    def _page_context(self, request, dispute):
        user = request.user
        parties = list(dispute.parties.select_related("unit__region", "recorded_by"))
        shown = (
            Ticket.objects.visible_to(user)
            .filter(pk__in=dispute.evidence.values("ticket_id"))
            .select_related("unit__region")
            .order_by("-received_at")[:EVIDENCE_SHOWN]
        )
        open_tickets = None
        if dispute.item_code and dispute.is_undecided:
            open_tickets = (
                selectors.matter_tickets(region_id=dispute.region_id, item_code=dispute.item_code)
                .filter(status__in=OPEN_STATUSES)
                .count()
            )
        return {
            "moves": [
                (move, Move(move).label)
                for move in MOVE_FORMS
                if services.may_manage(user) and may_move(move, dispute.status)
            ],
            "parties": [
                (party, services.may_state_position(user, dispute, party.unit)) for party in parties
            ],
            "may_add_evidence": services.may_manage(user) and dispute.is_undecided,
            "may_open_draft": services.may_manage(user) and dispute.status == DisputeStatus.DECIDED,
            "may_reroute": services.may_manage(user)
            and dispute.status in (DisputeStatus.DECIDED, DisputeStatus.IMPLEMENTED),
            "summary": selectors.evidence_summary(dispute),
            "evidence_shown": shown,
            "open_matter_tickets": open_tickets,
        }

    def history_timeline(self, dispute):
        return [
            {"at": e.at, "what": e.what, "who": e.actor or "", "details": e.note}
            for e in dispute.events.select_related("actor")
        ]


@admin.register(DisputePolicy)
class DisputePolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "detection_period_days", "min_returning_units", "max_reroutes")


# Detection's proposals, and the meetings, have their own pages.
from . import actions_admin, meetings_admin, proposals_admin  # noqa: E402, F401
