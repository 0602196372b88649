"""The forms of the meeting pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.directory.models import Unit
from apps.tickets import attachments

from .models import (
    ActionItem,
    JurisdictionDispute,
    MinutesAttachment,
    Presence,
)
from .workflow import DisputeStatus


class AttendanceForm(forms.Form):
    presence = forms.ChoiceField(
        label=_("Attendance"),
        choices=[c for c in Presence.choices if c[0] != Presence.INVITED],
        widget=forms.RadioSelect,
    )
    attendee = forms.CharField(
        label=_("Who came"), max_length=200, required=False, help_text=_("Name and post.")
    )
    absence_reason = forms.CharField(label=_("Reason for absence"), max_length=400, required=False)


class AgendaDisputeForm(forms.Form):
    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute"] = forms.ModelChoiceField(
            label=_("Dispute"),
            queryset=JurisdictionDispute.objects.filter(
                region=meeting.region,
                status__in=(DisputeStatus.RAISED, DisputeStatus.IN_CONSULTATION),
            ),
        )


class ActionItemForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )
    due_on = forms.DateField(label=_("Deadline (a working day)"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Owner unit"),
            queryset=Unit.objects.filter(pk__in=meeting.attendance.values("unit_id")),
            help_text=_("One of the invited units."),
        )
        self.order_fields(["owner", "description", "due_on"])


class ActionUpdateForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ("status", "update")


class MinutesAttachmentForm(forms.ModelForm):
    class Meta:
        model = MinutesAttachment
        fields = ("file",)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if getattr(upload, "content_type", None) is None and self.instance.pk:
            return upload  # the file already stored
        try:
            ((_upload, content_type, _extension),) = attachments.check([upload])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        self.instance.content_type = content_type
        self.instance.name = upload.name[:200]
        return upload
