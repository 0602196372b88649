"""Diversion lists for the platforms and call-takers: lookup, lists, items."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import ID_PATTERN
from apps.directory.models import Region, Unit

from . import lookup as lookup_service
from .models import Direction, DiversionItem, DiversionList, ListStatus
from .selectors import end_of_day, items_with_units


def is_command_staff(user) -> bool:
    # Schema generation runs with an anonymous user, which has no role properties.
    return getattr(user, "is_command_staff", False)


class UnitBriefSerializer(serializers.ModelSerializer):
    hotline_numbers = serializers.ListField(
        source="hotline_number_list", child=serializers.CharField()
    )

    class Meta:
        model = Unit
        fields = ("id", "name", "duty_phone", "hotline_numbers")


class DiversionListSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.division_code")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = DiversionList
        fields = (
            "id",
            "region",
            "region_name",
            "title",
            "document_number",
            "version",
            "status",
            "effective_from",
            "effective_to",
            "based_on",
            "approved_at",
            "change_note",
        )


class DiversionItemSerializer(serializers.ModelSerializer):
    diversion_list = serializers.PrimaryKeyRelatedField(read_only=True)
    direction_label = serializers.CharField(source="get_direction_display")
    lead_unit = UnitBriefSerializer(allow_null=True)
    co_units = UnitBriefSerializer(many=True)
    guidance_hotlines = serializers.SerializerMethodField()

    class Meta:
        model = DiversionItem
        fields = (
            "id",
            "diversion_list",
            "item_code",
            "direction",
            "direction_label",
            "category",
            "subcategory",
            "matter",
            "lead_unit",
            "co_units",
            "guidance_hotlines",
            "keywords",
            "notes",
            "order",
        )

    def get_guidance_hotlines(self, item) -> list[str]:
        return item.guidance_hotline_list


class AsOfFilterSet(django_filters.FilterSet):
    """``as_of=YYYY-MM-DD``: what was in force at the close of that day."""

    as_of = django_filters.DateFilter(
        method="filter_as_of", label="in force at the close of this date"
    )
    list_field = "pk"  # the field holding the list's id

    def filter_as_of(self, queryset, name, value):
        in_force = DiversionList.objects.in_force(end_of_day(value)).values("pk")
        return queryset.filter(**{f"{self.list_field}__in": in_force})


class DiversionListFilter(AsOfFilterSet):
    region = django_filters.CharFilter(field_name="region__division_code", label="division code")

    class Meta:
        model = DiversionList
        fields = ("region", "status", "as_of")


class DiversionItemFilter(AsOfFilterSet):
    list_field = "diversion_list"

    region = django_filters.CharFilter(
        field_name="diversion_list__region__division_code", label="division code"
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    category = django_filters.CharFilter()

    class Meta:
        model = DiversionItem
        fields = ("diversion_list", "region", "direction", "category", "as_of")


class DiversionListViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of the regions' diversion lists (drafts are visible to staff only)."""

    lookup_value_regex = ID_PATTERN

    serializer_class = DiversionListSerializer
    filterset_class = DiversionListFilter

    def get_queryset(self):
        lists = DiversionList.objects.select_related("region").order_by(
            "region__division_code", "-version"
        )
        if not is_command_staff(self.request.user):
            lists = lists.exclude(status=ListStatus.DRAFT)
        return lists


class DiversionItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Items of the lists in force now, or at ``as_of``, or of one ``diversion_list``."""

    lookup_value_regex = ID_PATTERN

    serializer_class = DiversionItemSerializer
    filterset_class = DiversionItemFilter

    def get_queryset(self):
        items = items_with_units().order_by("diversion_list_id", "order", "id")
        params = self.request.query_params
        if "as_of" not in params and "diversion_list" not in params:
            items = items.filter(diversion_list__in=DiversionList.objects.in_force().values("pk"))
        if not is_command_staff(self.request.user):
            items = items.exclude(diversion_list__status=ListStatus.DRAFT)
        return items


class LookupMatchSerializer(serializers.Serializer):
    score = serializers.FloatField()
    item = DiversionItemSerializer()


class LookupAnswerSerializer(serializers.Serializer):
    list = DiversionListSerializer(allow_null=True, help_text="the list version searched")
    results = LookupMatchSerializer(many=True)


class LookupQuerySerializer(serializers.Serializer):
    region = serializers.CharField(help_text="6-digit division code")
    q = serializers.CharField(help_text="What the caller said, e.g. 路灯晚上不亮")
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class LookupView(APIView):
    """Best-matching items of the list in force for a region (a county falls back to its
    city's list). Ranking: character bigrams weighted by field and rarity, with staff
    synonyms — see ``apps/diversion/lookup.py``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, required=True),
            OpenApiParameter("q", OpenApiTypes.STR, required=True),
            OpenApiParameter("direction", OpenApiTypes.STR, enum=Direction.values),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses=LookupAnswerSerializer,
    )
    def get(self, request):
        query = LookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        region = get_object_or_404(Region, division_code=params["region"])
        diversion_list, matches = lookup_service.lookup(
            region, params["q"], direction=params.get("direction"), limit=params["limit"]
        )
        return Response(
            {
                "list": DiversionListSerializer(diversion_list).data if diversion_list else None,
                "results": LookupMatchSerializer(matches, many=True).data,
            }
        )
