"""The forms staff and liaisons fill in about disputes."""

import re

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from apps.directory.models import Unit
from apps.diversion.models import Direction
from apps.tickets.models import Ticket

from .models import DisputeOrigin, JointMeeting, JurisdictionDispute, MeetingStatus, Position
from .workflow import CLOSED

TICKETS_PER_FORM = 500


class TicketNumbersField(forms.CharField):
    """Ticket numbers, one per line or separated by spaces or commas; each must exist."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Evidence tickets"))
        kwargs.setdefault(
            "help_text", _("Ticket numbers, one per line or separated by spaces or commas.")
        )
        super().__init__(required=False, max_length=20000, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        numbers = list(dict.fromkeys(n for n in re.split(r"[\s,，、;；]+", text) if n))
        if len(numbers) > TICKETS_PER_FORM:
            raise forms.ValidationError(
                _("At most %(n)d tickets at a time.") % {"n": TICKETS_PER_FORM}
            )
        found = list(
            Ticket.objects.filter(external_id__in=numbers).only("id", "unit_id", "external_id")
        )
        unknown = set(numbers) - {t.external_id for t in found}
        if unknown:
            raise forms.ValidationError(
                _("No ticket has the number: %(numbers)s.")
                % {"numbers": "、".join(n for n in numbers if n in unknown)}
            )
        return found


def relation_widget(field_name, admin_site, *, multiple=False):
    """The admin's autocomplete for a relation of the dispute (its units, its item)."""
    field = JurisdictionDispute._meta.get_field(field_name)
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(field, admin_site)


class RaiseDisputeForm(forms.ModelForm):
    """The admin's add page: what is disputed, who is involved, and the tickets that show it."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units involved"), queryset=Unit.objects.active(), required=False
    )
    tickets = TicketNumbersField()

    class Meta:
        model = JurisdictionDispute
        fields = ("region", "title", "matter", "diversion_item", "origin", "raised_by_unit")

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # Detection's proposals become disputes when staff confirm them, not here.
        self.fields["origin"].choices = [
            c for c in DisputeOrigin.choices if c[0] != DisputeOrigin.DETECTION
        ]
        widgets = {
            "units": relation_widget("co_units", admin_site, multiple=True),
            "diversion_item": relation_widget("diversion_item", admin_site),
            "raised_by_unit": relation_widget("raised_by_unit", admin_site),
        }
        for name, widget in widgets.items():
            widget.choices = self.fields[name].choices
            self.fields[name].widget = widget

    def clean(self):
        data = super().clean()
        item, region = data.get("diversion_item"), data.get("region")
        if item and region and item.diversion_list.region_id != region.pk:
            self.add_error(
                "diversion_item",
                _("This item belongs to the list of %(region)s, not of %(chosen)s.")
                % {"region": item.diversion_list.region.name, "chosen": region.name},
            )
        if data.get("origin") == DisputeOrigin.UNIT and not data.get("raised_by_unit"):
            self.add_error("raised_by_unit", _("Which unit raised it?"))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
    )


class MergeForm(forms.Form):
    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"] = forms.ModelChoiceField(
            label=_("Merge into"),
            queryset=JurisdictionDispute.objects.exclude(pk=dispute.pk).exclude(status__in=CLOSED),
        )
        self.fields["note"] = NoteForm.base_fields["note"]


class DecisionForm(forms.Form):
    handling_norm = forms.CharField(
        label=_("Handling norm (处置规范)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Who does what, by when, and how the callers are answered."),
    )
    effective_date = forms.DateField(label=_("Effective from"))

    def __init__(self, *args, admin_site, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ModelChoiceField(
            label=_("Decided at meeting"),
            queryset=JointMeeting.objects.filter(agenda__dispute=dispute).exclude(
                status__in=(MeetingStatus.DRAFT, MeetingStatus.MINUTES_APPROVED)
            ),
            required=False,
            help_text=_("Empty: decided in consultation, outside a meeting."),
        )
        self.fields["lead_unit"] = forms.ModelChoiceField(
            label=_("Lead unit (主办单位)"),
            queryset=Unit.objects.active(),
            widget=relation_widget("lead_unit", admin_site),
        )
        self.fields["co_units"] = forms.ModelMultipleChoiceField(
            label=_("Co-units (协办单位)"),
            queryset=Unit.objects.active(),
            required=False,
            widget=relation_widget("co_units", admin_site, multiple=True),
        )
        self.order_fields(["meeting", "lead_unit", "co_units", "handling_norm", "effective_date"])


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"),
        choices=[c for c in Position.choices if c[0] != Position.NOT_STATED],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("The unit's reasons: the duties, rules or documents it relies on."),
    )


class EvidenceForm(forms.Form):
    tickets = TicketNumbersField()


class DraftItemForm(forms.Form):
    """Asked only when the region's list has no item of the disputed matter yet."""

    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    category = forms.CharField(label=_("Category"), max_length=64)
