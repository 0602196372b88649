"""Disputes and meetings, read by the platforms and leadership's tools.

Platforms read the disputes (a decision tells them who handles a matter now) but not the
meetings; leadership and staff read both; a liaison what involves the own unit.
"""

import re
from datetime import date

import django_filters
from django.core.exceptions import ValidationError
from rest_framework import serializers, viewsets

from apps.core.api import ID_PATTERN

from .models import ActionItem, AgendaItem, JointMeeting, JurisdictionDispute, MeetingStatus
from .workflow import DisputeStatus

QUARTER = re.compile(r"^(20\d\d)Q([1-4])$")


def quarter_range(value: str) -> tuple[date, date]:
    """``2026Q4`` → (2026-10-01, 2027-01-01); anything else is a 400 naming the format."""
    match = QUARTER.match(value or "")
    if not match:
        raise ValidationError("Give the quarter as YYYYQn (2000–2099), e.g. 2026Q4.")
    year, quarter = int(match[1]), int(match[2])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


class QuarterFilter(django_filters.CharFilter):
    """A quarter of the office's calendar on a moment field (local dates)."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        try:
            start, end = quarter_range(value)
        except ValidationError as exc:
            raise serializers.ValidationError({"quarter": exc.messages}) from None
        return queryset.filter(
            **{f"{self.field_name}__date__gte": start, f"{self.field_name}__date__lt": end}
        )


class UnitLabelField(serializers.CharField):
    def to_representation(self, unit):
        return unit.label


class DisputeSerializer(serializers.ModelSerializer):
    number = serializers.CharField()
    region = serializers.CharField(source="region.division_code")
    lead_unit = UnitLabelField(allow_null=True)
    co_units = serializers.SerializerMethodField()
    decided_in = serializers.CharField(source="decided_in.number", allow_null=True, default=None)
    implemented_in = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = JurisdictionDispute
        fields = (
            "id",
            "number",
            "region",
            "title",
            "matter",
            "item_code",
            "status",
            "raised_at",
            "lead_unit",
            "co_units",
            "handling_norm",
            "effective_date",
            "decided_at",
            "decided_in",
            "implemented_in",
        )

    def get_co_units(self, dispute) -> list[str]:
        return [u.label for u in dispute.co_units.all()]


class DisputeFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__division_code", label="division code")
    status = django_filters.ChoiceFilter(choices=DisputeStatus.choices)
    quarter = QuarterFilter(field_name="raised_at", label="raised in quarter, e.g. 2026Q4")

    class Meta:
        model = JurisdictionDispute
        fields = ("region", "status", "quarter")


class DisputeViewSet(viewsets.ReadOnlyModelViewSet):
    """Jurisdiction disputes with their status and, once decided, the decision."""

    lookup_value_regex = ID_PATTERN
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built with nobody
            return JurisdictionDispute.objects.none()
        return (
            JurisdictionDispute.objects.visible_to(self.request.user)
            .select_related("region", "lead_unit__region", "decided_in")
            .prefetch_related("co_units__region")
            .order_by("-year", "-serial")
        )


class AgendaItemSerializer(serializers.ModelSerializer):
    dispute = serializers.CharField(source="dispute.number", allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ("order", "kind", "title", "dispute", "outcome")


class ActionItemSerializer(serializers.ModelSerializer):
    owner = UnitLabelField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ("id", "owner", "description", "due_by", "status", "overdue", "update")

    def get_overdue(self, item) -> bool:
        return item.is_overdue()


class MeetingSerializer(serializers.ModelSerializer):
    number = serializers.CharField()
    region = serializers.CharField(source="region.division_code")
    agenda = AgendaItemSerializer(many=True)
    action_items = ActionItemSerializer(many=True)

    class Meta:
        model = JointMeeting
        fields = (
            "id",
            "number",
            "region",
            "kind",
            "year",
            "quarter",
            "title",
            "starts_at",
            "place",
            "convener",
            "status",
            "agenda",
            "action_items",
        )


class MeetingFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__division_code", label="division code")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    quarter = QuarterFilter(field_name="starts_at", label="held in quarter, e.g. 2026Q4")

    class Meta:
        model = JointMeeting
        fields = ("region", "status", "kind", "quarter")


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Joint meetings with their agenda and action items."""

    lookup_value_regex = ID_PATTERN
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JointMeeting.objects.none()
        return (
            JointMeeting.objects.visible_to(self.request.user)
            .select_related("region")
            .prefetch_related("agenda__dispute", "action_items__owner__region")
            .order_by("-starts_at", "-id")
        )
