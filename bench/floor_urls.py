"""URLs for bench/tickets_ingest.py: the product's, plus a floor for a single POST.

The floor is a bare DRF endpoint served by the same gunicorn workers with the same
settings (token authentication, throttling, the JSON parser): it validates a plain
serializer of the same fields and inserts one ticket row. It has no references to
resolve, no deadlines, no event, no idempotency key: what is left of a single POST when
the product's own work is taken away.
"""

from django.urls import path
from django.utils import timezone
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.tickets.api import IsPlatformClient
from apps.tickets.models import Ticket
from config.urls import urlpatterns as product_urlpatterns


class PlainTicketSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    region = serializers.CharField(max_length=6)
    received_at = serializers.DateTimeField()
    channel = serializers.CharField()
    transfer_method = serializers.CharField()
    urgency = serializers.CharField()
    unit = serializers.IntegerField()
    diversion_item = serializers.CharField(required=False)
    summary = serializers.CharField(max_length=4000)
    caller_phone = serializers.CharField(required=False)
    restricted = serializers.BooleanField(required=False)


class FloorView(APIView):
    # The same door as the ticket push: only a platform client's token inserts tickets.
    permission_classes = [permissions.IsAuthenticated, IsPlatformClient]

    def post(self, request):
        data = PlainTicketSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        ticket = Ticket.objects.create(
            source_platform=request.user.platform,
            external_id=fields["external_id"],
            region_id=int(request.query_params["region_id"]),
            unit_id=fields["unit"],
            received_at=fields["received_at"],
            transferred_at=timezone.now(),
            channel=fields["channel"],
            transfer_method=fields["transfer_method"],
            urgency=fields["urgency"],
            summary=fields["summary"],
            caller_phone=fields.get("caller_phone", ""),
        )
        return Response({"id": ticket.pk}, status=status.HTTP_201_CREATED)


urlpatterns = [path("bench/floor/", FloorView.as_view()), *product_urlpatterns]
