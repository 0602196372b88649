"""Detection's proposals in the admin: staff confirm them as disputes or dismiss them."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import detection
from .models import DisputeProposal, ProposalStatus


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("The matter is proposed again only once its evidence has doubled."),
    )


@admin.register(DisputeProposal)
class DisputeProposalAdmin(admin.ModelAdmin):
    list_display = (
        "item_code",
        "matter",
        "region",
        "returning_units",
        "reroutes",
        "evidence_count",
        "proposed_at",
        "status",
        "dispute",
    )
    list_filter = ("status", "region")
    list_select_related = ("region", "diversion_item", "dispute")
    actions = ("confirm", "dismiss")
    exclude = ("tickets",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["evidence"]

    def has_add_permission(self, request):
        return False  # detection proposes

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("matter"))
    def matter(self, obj):
        return obj.diversion_item.matter if obj.diversion_item else "—"

    @admin.display(description=_("tickets"))
    def evidence(self, obj):
        return "、".join(obj.tickets.values_list("external_id", flat=True)[:200])

    @admin.action(description=_("Confirm as disputes"), permissions=["change"])
    def confirm(self, request, queryset):
        made = [
            d
            for d in (
                detection.confirm(p, actor=request.user)
                for p in queryset.filter(status=ProposalStatus.PENDING)
            )
            if d
        ]
        self.message_user(
            request,
            _("%(n)d dispute(s) raised: %(numbers)s.")
            % {"n": len(made), "numbers": "、".join(d.number for d in made) or "—"},
            messages.SUCCESS if made else messages.WARNING,
        )

    @admin.action(description=_("Dismiss with a reason"), permissions=["change"])
    def dismiss(self, request, queryset):
        form = DismissForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = sum(
                detection.dismiss(p, actor=request.user, reason=form.cleaned_data["reason"])
                for p in queryset.filter(status=ProposalStatus.PENDING)
            )
            self.message_user(
                request, _("%(n)d proposal(s) dismissed.") % {"n": done}, messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Dismiss with a reason"),
            "form": form,
            "proposals": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/disputes/disputeproposal/dismiss.html", context)
