"""Public directory API: units with duty phones and their leader and liaison, no mobiles."""

import django_filters
from rest_framework import serializers, viewsets

from apps.core.api import ID_PATTERN

from .models import Contact, Region, Unit
from .selectors import PUBLIC_CONTACT_FIELDS, public_directory


class PublicContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = PUBLIC_CONTACT_FIELDS


class PublicUnitSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.division_code")
    region_name = serializers.CharField(source="region.name")
    hotline_numbers = serializers.ListField(
        source="hotline_number_list", child=serializers.CharField()
    )
    contacts = PublicContactSerializer(source="public_contacts", many=True)

    class Meta:
        model = Unit
        fields = (
            "id",
            "name",
            "short_name",
            "region",
            "region_name",
            "kind",
            "linkage_tier",
            "duty_phone",
            "hotline_numbers",
            "scope",
            "contacts",
        )


class UnitFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="division code")

    class Meta:
        model = Unit
        fields = ("region", "kind", "linkage_tier")

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(division_code=value).first()
        return public_directory(region) if region else queryset.none()


class PublicUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicUnitSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = UnitFilter
    queryset = public_directory()
