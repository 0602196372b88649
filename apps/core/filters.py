"""django-filter pieces shared by the APIs."""

import re

import django_filters
from django import forms

from .timestamps import parse_aware_datetime


class AwareDateTimeFormField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        # An unencoded "+08:00" arrives in a query string as " 08:00".
        value = re.sub(r" (\d{2}(?::?\d{2})?)$", r"+\1", str(value))
        try:
            return parse_aware_datetime(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class AwareDateTimeFilter(django_filters.Filter):
    """A moment in ISO 8601 with its UTC offset (``+08:00``, ``+0800`` or ``Z``)."""

    field_class = AwareDateTimeFormField
