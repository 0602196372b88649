"""The dispute's own pages beside the admin's: its moves, a unit's position, evidence,
the draft list version carrying the decision, and the tickets waiting for re-routing.
Who may use each is ``services.may_*``; the work is the services'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import errors_into_form
from apps.diversion.models import DiversionItem

from . import implementation, meetings, services
from .forms import (
    DecisionForm,
    DraftItemForm,
    EvidenceForm,
    MergeForm,
    NoteForm,
    PositionForm,
    WithdrawForm,
)
from .workflow import Move

# The moves staff make from the dispute's page: (form, what the service is given).
MOVE_FORMS = {
    Move.CONSULT: NoteForm,
    Move.UNSCHEDULE: NoteForm,
    Move.WITHDRAW: WithdrawForm,
    Move.MERGE: MergeForm,
    Move.DECIDE: DecisionForm,
}


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


class DisputePagesMixin:
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
                errors_into_form(form, exc)
            else:
                self.message_user(
                    request, _("Done: %(move)s.") % {"move": Move(move).label}, messages.SUCCESS
                )
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
                errors_into_form(form, exc)
            else:
                self.message_user(
                    request,
                    _("The position of %(unit)s is recorded.") % {"unit": party.unit.label},
                    messages.SUCCESS,
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
            self.message_user(
                request, _("%(n)d ticket(s) added as evidence.") % {"n": added}, messages.SUCCESS
            )
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
                errors_into_form(form, exc)
            else:
                self.message_user(
                    request,
                    _("%(list)s carries the decision: check it and publish it.") % {"list": draft},
                    messages.SUCCESS,
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
                    messages.SUCCESS,
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
