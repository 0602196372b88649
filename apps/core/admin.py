"""Admin building blocks shared by every app."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ChangeReasonForm(forms.ModelForm):
    """A model form that asks why the change is made; the reason goes into the history."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        help_text=_("Required. Shown in the change history, e.g. “原联络员调岗”."),
    )


admin.site.site_header = _("12345–110 Linkage Office")
admin.site.site_title = _("12345–110 Linkage Office")
admin.site.index_title = _("Back-office")
