"""Exchange API for the 12345 and 110 platforms."""

import hashlib
import json
import re

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from apps.core.api import ID_PATTERN, StoredTextJSONParser
from apps.core.filters import AwareDateTimeFilter
from apps.core.schema import ERROR_SCHEMA
from apps.core.serializers import AwareDateTimeField, FieldsBuiltOnce

from . import attachments, services
from .ingest import KeyReused, ingest, ingest_with_key
from .lifecycle import MILESTONE_FIELDS, REPORTING_EVENTS, STEPS, Status
from .models import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    Channel,
    EventLevel,
    Rating,
    Restriction,
    ReturnReason,
    Ticket,
    TicketEvent,
    TransferMethod,
    Urgency,
)


@extend_schema_field(
    {"oneOf": [{"type": "boolean"}, {"type": "string", "enum": list(Restriction.values)}]}
)
class RestrictedField(serializers.Field):
    """``restricted``: false/true, or the kind (secret, stability, terrorism, case)."""

    def to_internal_value(self, data):
        if data in (False, None, ""):
            return ""
        if data is True:
            return Restriction.CASE
        if data in Restriction.values:
            return data
        raise ValidationError(
            _("Use true, false or one of %(kinds)s.") % {"kinds": ", ".join(Restriction.values)}
        )

    def to_representation(self, value):
        return bool(value)


class TicketInSerializer(FieldsBuiltOnce, serializers.Serializer):
    """One ticket as a platform pushes it; references are checked in bulk afterwards."""

    external_id = serializers.CharField(max_length=64)
    region = serializers.RegexField(
        r"^\d{6}$",
        help_text="6-digit division code",
        error_messages={"invalid": _("A 6-digit division code.")},
    )
    received_at = AwareDateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    transfer_method = serializers.ChoiceField(choices=TransferMethod.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    event_level = serializers.ChoiceField(
        choices=EventLevel.choices, required=False, allow_blank=True
    )
    needs_on_site = serializers.BooleanField(required=False, allow_null=True, default=None)
    unit = serializers.IntegerField(min_value=1, help_text="responsible unit id")
    co_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=20
    )
    diversion_item = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="item code, e.g. H2P-011"
    )
    summary = serializers.CharField(max_length=4000)
    caller_phone = serializers.RegexField(r"^[0-9+\-]{3,20}$", required=False, allow_blank=True)
    restricted = RestrictedField(required=False, default="")

    def validate_co_units(self, value):
        return list(dict.fromkeys(value))  # a unit named twice is one co-unit

    def validate_received_at(self, value):
        if value > timezone.now() + services.CLOCK_SKEW:
            raise ValidationError(_("The ticket cannot be received in the future."))
        return value


def ticket_fields(validated) -> dict:
    """Validated API fields as ticket fields (``restricted`` is stored as ``restriction``)."""
    fields = dict(validated)
    fields["restriction"] = fields.pop("restricted", "")
    return fields


def deadlines_of(ticket) -> dict:
    """{"sign_by": …, "arrive_by": …, "reply_by": …, "complete_by": …} (null: none)."""
    return {due: getattr(ticket, due) for due, _met in MILESTONE_FIELDS.values()}


class DeadlinesSerializer(serializers.Serializer):
    sign_by = serializers.DateTimeField(allow_null=True)
    arrive_by = serializers.DateTimeField(allow_null=True)
    reply_by = serializers.DateTimeField(allow_null=True)
    complete_by = serializers.DateTimeField(allow_null=True)


class BatchAnswerItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    result = serializers.ChoiceField(choices=["created", "existing", "error"])
    id = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    deadlines = DeadlinesSerializer(required=False)
    errors = serializers.DictField(required=False, help_text="each bad field with its errors")


class BatchAnswerSerializer(serializers.Serializer):
    results = BatchAnswerItemSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TicketOutSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    region = serializers.CharField(source="region.division_code")
    unit = UnitRefSerializer()
    diversion_item = serializers.CharField(
        source="diversion_item.item_code", default=None, allow_null=True
    )
    caller_phone = serializers.SerializerMethodField()
    restricted = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = (
            "id",
            "source_platform",
            "external_id",
            "region",
            "received_at",
            "channel",
            "transfer_method",
            "urgency",
            "event_level",
            "needs_on_site",
            "diversion_item",
            "diversion_list",
            "unit",
            "summary",
            "caller_phone",
            "restricted",
            "status",
            "routing_round",
            "transferred_at",
            "signed_at",
            "arrived_at",
            "replied_at",
            "completed_at",
            "returned_at",
            "return_reason",
            "return_note",
            "rated_at",
            "rating",
            "deadlines",
            "overdue",
            "circular_at",
        )

    def get_caller_phone(self, ticket) -> str:
        user = self.context["request"].user
        if getattr(user, "platform", "") == ticket.source_platform:
            return ticket.caller_phone
        return ticket.masked_caller_phone

    def get_restricted(self, ticket) -> bool:
        return ticket.is_restricted

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, ticket) -> dict:
        return deadlines_of(ticket)

    def get_overdue(self, ticket) -> bool:
        return ticket.is_overdue()


class EventInSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[t for t in TicketEvent.Type.choices if t[0] in STEPS])
    at = AwareDateTimeField()
    reason_code = serializers.ChoiceField(choices=ReturnReason.choices, required=False)
    reason_text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    result = serializers.CharField(
        max_length=4000, required=False, help_text="the handling result (replied, completed)"
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="photos (JPEG, PNG) or PDF documents of the handling (multipart only)",
    )

    def validate(self, attrs):
        if attrs["type"] == TicketEvent.Type.RETURNED and not attrs.get("reason_code"):
            raise ValidationError({"reason_code": _("A returned ticket needs a reason code.")})
        if attrs["type"] == TicketEvent.Type.RATED and not attrs.get("rating"):
            raise ValidationError({"rating": _("A rating event needs the rating.")})
        for field in ("result", "files"):
            if attrs.get(field) and attrs["type"] not in REPORTING_EVENTS:
                raise ValidationError(
                    {field: _("Only a reply or a completion carries a handling result.")}
                )
        if attrs.get("files"):
            try:
                attrs["attachments"] = attachments.check(attrs.pop("files"))
            except DjangoValidationError as exc:
                raise ValidationError({"files": exc.messages}) from exc
        return attrs


MAX_ID = 2**63 - 1  # the id columns are 64-bit: a larger number names no ticket


class TicketFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__division_code")
    unit = django_filters.NumberFilter(field_name="unit_id", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    received_after = AwareDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = AwareDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Ticket
        fields = (
            "region",
            "unit",
            "status",
            "urgency",
            "overdue",
            "received_after",
            "received_before",
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.not_overdue()


class TicketCursorPagination(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class IsPlatformClient(permissions.BasePermission):
    message = _("Only a platform client's token may push tickets.")

    def has_permission(self, request, view):
        return bool(getattr(request.user, "platform", ""))


IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,%d}$" % IDEMPOTENCY_KEY_MAX_LENGTH)


def idempotency_key(request) -> str:
    """The request's Idempotency-Key ("" without one); refused unless printable ASCII
    of at most 128 characters, before anything is saved."""
    key = request.headers.get("Idempotency-Key", "")
    if key and not IDEMPOTENCY_KEY.match(key):
        raise ValidationError(
            {
                "Idempotency-Key": [
                    _("At most %(n)d printable ASCII characters, without spaces.")
                    % {"n": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    return key


def body_hash(data) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    """Diverted tickets: push (single or batch), milestone events, and reading."""

    serializer_class = TicketOutSerializer
    filterset_class = TicketFilter
    lookup_value_regex = ID_PATTERN
    pagination_class = TicketCursorPagination

    @property
    def throttle_scope(self):
        # Rates per scope: API_THROTTLE_RATES in the settings.
        scopes = {"create": "ticket-push", "batch": "ticket-batch", "events": "ticket-events"}
        return scopes.get(self.action, "read")

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return Ticket.objects.none()
        return Ticket.objects.visible_to(user).select_related(
            "region", "unit__region", "diversion_item"
        )

    def get_permissions(self):
        if self.action in ("create", "batch"):
            return [permissions.IsAuthenticated(), IsPlatformClient()]
        return super().get_permissions()

    def _out(self, ticket):
        ticket = self.get_queryset().get(pk=ticket.pk)
        return TicketOutSerializer(ticket, context=self.get_serializer_context()).data

    @extend_schema(
        request=TicketInSerializer,
        responses={
            201: TicketOutSerializer,
            200: TicketOutSerializer,
            422: OpenApiResponse(ERROR_SCHEMA, "The Idempotency-Key was used with another body."),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                "header",
                description="At most 128 printable ASCII characters; a repeat with the "
                "same body returns the ticket (200), with another body 422.",
            )
        ],
    )
    def create(self, request):
        platform = request.user.platform
        key = idempotency_key(request)
        incoming = TicketInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = ticket_fields(incoming.validated_data)
        if key:
            try:
                result = ingest_with_key(
                    fields,
                    platform=platform,
                    key=key,
                    request_hash=body_hash(request.data),
                    actor=request.user,
                )
            except KeyReused:
                return Response(
                    {"detail": _("This Idempotency-Key was used with a different request body.")},
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
        else:
            (result,) = ingest([fields], platform=platform, actor=request.user)
        if result.errors:
            raise ValidationError(result.errors)
        if not result.created:
            return Response(self._out(result.ticket), status=status.HTTP_200_OK)
        # A new ticket has its region, unit and item loaded already: no re-read needed.
        created = TicketOutSerializer(result.ticket, context=self.get_serializer_context())
        return Response(created.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TicketInSerializer(many=True), responses={200: BatchAnswerSerializer})
    @action(detail=False, methods=["post"])
    def batch(self, request):
        if not isinstance(request.data, list):
            raise ValidationError({"non_field_errors": [_("Send a JSON array of tickets.")]})
        limit = settings.TICKET_BATCH_LIMIT
        if len(request.data) > limit:
            raise ValidationError(
                {"non_field_errors": [_("At most %(n)d tickets per batch.") % {"n": limit}]}
            )
        answers, valid, positions = [None] * len(request.data), [], []
        incoming = TicketInSerializer()  # one instance: DRF builds its fields once, not per item
        for index, data in enumerate(request.data):
            try:
                valid.append(ticket_fields(incoming.run_validation(data)))
            except ValidationError as exc:
                errors = exc.detail  # an item that is not an object has no fields to name
                if not isinstance(errors, dict):
                    errors = {"non_field_errors": errors}
                answers[index] = {"index": index, "result": "error", "errors": errors}
            else:
                positions.append(index)
        results = ingest(valid, platform=request.user.platform, actor=request.user)
        for index, result in zip(positions, results, strict=True):
            if result.errors:
                answers[index] = {"index": index, "result": "error", "errors": result.errors}
            else:
                ticket = result.ticket
                answers[index] = {
                    "index": index,
                    "result": "created" if result.created else "existing",
                    "id": ticket.pk,
                    "status": ticket.status,
                    "deadlines": deadlines_of(ticket),
                }
        return Response({"results": answers})

    @extend_schema(
        request=EventInSerializer,
        responses={
            200: TicketOutSerializer,
            201: TicketOutSerializer,
            409: OpenApiResponse(ConflictSerializer, "The ticket's state does not allow it."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        # JSON, or multipart when the step comes with photos or documents.
        parser_classes=[StoredTextJSONParser, MultiPartParser],
    )
    def events(self, request, pk=None):
        ticket = get_object_or_404(self.get_queryset(), pk=pk)
        incoming = EventInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        event_type, at = data.pop("type"), data.pop("at")
        if not services.may_record(request.user, ticket, event_type):
            raise PermissionDenied(_("You may not record this step on this ticket."))
        try:
            applied = services.record_event(
                ticket,
                event_type,
                at,
                actor=request.user,
                platform=getattr(request.user, "platform", ""),
                **data,
            )
        except services.TransitionRefused as exc:
            return Response(
                {"detail": exc.messages[0], "status": ticket.status},
                status=status.HTTP_409_CONFLICT,
            )
        except services.ValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(
            self._out(ticket), status=status.HTTP_201_CREATED if applied else status.HTTP_200_OK
        )
