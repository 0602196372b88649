"""Serializer helpers shared by the APIs."""

import copy

from rest_framework import serializers

from .timestamps import parse_aware_datetime


class FieldsBuiltOnce:
    """Build a serializer class's fields once; each instance binds shallow copies.

    DRF builds them again for every instance (a ModelSerializer introspects its model,
    a Serializer deep-copies its declared fields): for a one-ticket request and answer
    that is most of the serializers' time. The templates are never bound or used
    themselves, so the copies share nothing that binding or validating changes.
    """

    def get_fields(self):
        templates = type(self).__dict__.get("_field_templates")
        if templates is None:
            templates = super().get_fields()
            type(self)._field_templates = templates
        return {name: copy.copy(field) for name, field in templates.items()}


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an explicit offset: a time without one is ambiguous between platforms."""

    def to_internal_value(self, value):
        try:
            return parse_aware_datetime(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
