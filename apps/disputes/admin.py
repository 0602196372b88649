"""Disputes in the admin: staff raise, move and decide them; a liaison states the own
unit's position; leadership reads. Who may do what is ``services.may_*``."""

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import SingletonAdmin, TimelineHistoryMixin
from apps.diversion.models import DiversionItem
from apps.tickets.lifecycle import OPEN_STATUSES
from apps.tickets.models import Ticket

from . import implementation, meetings, selectors, services
from .forms import (
    DecisionForm,
    DraftItemForm,
    EvidenceForm,
    MergeForm,
    NoteForm,
    PositionForm,
    RaiseDisputeForm,
    WithdrawForm,
)
from .models import DisputePolicy, JurisdictionDispute
from .workflow import DisputeStatus, Move, may_move

# The moves staff make from the dispute's page: (form, what the service is given).
MOVE_FORMS = {
    Move.CONSULT: NoteForm,
    Move.UNSCHEDULE: NoteForm,
    Move.WITHDRAW: WithdrawForm,
    Move.MERGE: MergeForm,
    Move.DECIDE: DecisionForm,
}
EVIDENCE_SHOWN = 100


def _make_move(move, dispute, data, actor):
    if move == Move.CONSULT:
        return services.start_consultation(dispute, actor=actor, note=data["note"])
    if move == Move.UNSCHEDULE:
        return services.unschedule(dispute, actor=actor, note=data["note"])
    if move == Move.WITHDRAW:
        return services.withdraw(dispute, actor=actor, reason=data["reason"])
    if move == Move.MERGE:
        return services.merge(dispute, into=data["into"], actor=actor, note=data["note"])
    meeting = data.pop("meeting", None)
    if meeting is not None:
        return meetings.decide_at_meeting(dispute, meeting=meeting, actor=actor, **data)
    return services.decide(dispute, actor=actor, **data)


@admin.register(JurisdictionDispute)
class JurisdictionDisputeAdmin(TimelineHistoryMixin, admin.ModelAdmin):
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
        if len(digits) == 2 and digits[0] > 2000:
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

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/move/<str:move>/",
                view(self.move_view),
                name="disputes_jurisdictiondispute_move",
            ),
            path(
                "<int:pk>/position/<int:unit_pk>/",
                view(self.position_view),
                name="disputes_jurisdictiondispute_position",
            ),
            path(
                "<int:pk>/draft/", view(self.draft_view), name="disputes_jurisdictiondispute_draft"
            ),
            path(
                "<int:pk>/reroute/",
                view(self.reroute_view),
                name="disputes_jurisdictiondispute_reroute",
            ),
            path(
                "<int:pk>/evidence/",
                view(self.evidence_view),
                name="disputes_jurisdictiondispute_evidence",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request, pk, move):
        dispute = get_object_or_404(self.get_queryset(request), pk=pk)
        if move not in MOVE_FORMS or not services.may_manage(request.user):
            raise PermissionDenied
        form_class = MOVE_FORMS[move]
        kwargs = {"dispute": dispute} if form_class is MergeForm else {}
        if form_class is DecisionForm:
            kwargs = {"admin_site": self.admin_site, "dispute": dispute}
        form = form_class(request.POST or None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                _make_move(move, dispute, form.cleaned_data, request.user)
            except ValidationError as exc:
                self._form_errors(form, exc)
            else:
                self.message_user(request, _("Done: %(move)s.") % {"move": Move(move).label})
                return self._back(dispute)
        return self._form_page(request, dispute, form, title=Move(move).label)

    def position_view(self, request, pk, unit_pk):
        dispute = get_object_or_404(self.get_queryset(request), pk=pk)
        party = get_object_or_404(dispute.parties.select_related("unit__region"), unit_id=unit_pk)
        if not services.may_state_position(request.user, dispute, party.unit):
            raise PermissionDenied
        initial = {"position": party.position, "statement": party.statement}
        form = PositionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.record_position(
                    dispute=dispute, unit=party.unit, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                self._form_errors(form, exc)
            else:
                self.message_user(
                    request, _("The position of %(unit)s is recorded.") % {"unit": party.unit.label}
                )
                return self._back(dispute)
        title = _("Position of %(unit)s") % {"unit": party.unit.label}
        return self._form_page(request, dispute, form, title=title)

    def evidence_view(self, request, pk):
        dispute = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (services.may_manage(request.user) and dispute.is_undecided):
            raise PermissionDenied
        form = EvidenceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            added = services.add_evidence(
                dispute=dispute, tickets=form.cleaned_data["tickets"], actor=request.user
            )
            self.message_user(request, _("%(n)d ticket(s) added as evidence.") % {"n": added})
            return self._back(dispute)
        return self._form_page(request, dispute, form, title=_("Add evidence tickets"))

    def draft_view(self, request, pk):
        """Open (or return to) the draft list version that carries the decision."""
        dispute = get_object_or_404(self.get_queryset(request), pk=pk)
        if not services.may_manage(request.user):
            raise PermissionDenied
        needs_item = not (
            dispute.item_code
            and DiversionItem.objects.filter(
                diversion_list__region=dispute.region, item_code=dispute.item_code
            ).exists()
        )
        form = DraftItemForm(request.POST or None) if needs_item else NoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = implementation.open_draft(
                    dispute,
                    actor=request.user,
                    direction=form.cleaned_data.get("direction", ""),
                    category=form.cleaned_data.get("category", ""),
                )
            except ValidationError as exc:
                self._form_errors(form, exc)
            else:
                self.message_user(
                    request,
                    _("%(list)s carries the decision: check it and publish it.") % {"list": draft},
                )
                return HttpResponseRedirect(
                    reverse("admin:diversion_diversionlist_change", args=[draft.pk])
                )
        return self._form_page(request, dispute, form, title=_("Carry into the diversion list"))

    def reroute_view(self, request, pk):
        """The matter's tickets still with another unit; POST re-routes them all."""
        dispute = get_object_or_404(self.get_queryset(request), pk=pk)
        if not services.may_manage(request.user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                done, problems = implementation.reroute_waiting(dispute, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, exc.messages[0], messages.ERROR)
            else:
                for problem in problems:
                    self.message_user(request, problem, messages.WARNING)
                self.message_user(
                    request,
                    _("%(n)d ticket(s) re-routed to %(unit)s with fresh deadlines.")
                    % {"n": done, "unit": dispute.lead_unit.label},
                )
            return self._back(dispute)
        movable, staying = implementation.waiting_tickets(dispute)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": dispute,
            "title": _("Tickets waiting: %(number)s") % {"number": dispute.number},
            "movable": movable,
            "staying": staying,
        }
        return TemplateResponse(request, "admin/disputes/jurisdictiondispute/reroute.html", context)

    def _form_errors(self, form, exc):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)

    def _form_page(self, request, dispute, form, *, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": dispute,
            "title": f"{title}：{dispute.number}",
            "form": form,
            "submit": title,
            "media": self.media + form.media,
            "back": reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk]),
        }
        return TemplateResponse(request, "admin/disputes/form.html", context)

    def _back(self, dispute):
        return HttpResponseRedirect(
            reverse("admin:disputes_jurisdictiondispute_change", args=[dispute.pk])
        )


@admin.register(DisputePolicy)
class DisputePolicyAdmin(SingletonAdmin):
    list_display = ("__str__", "detection_period_days", "min_returning_units", "max_reroutes")


# Detection's proposals, and the meetings, have their own pages.
from . import meetings_admin, proposals_admin  # noqa: E402, F401
