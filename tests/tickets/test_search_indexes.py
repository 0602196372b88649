"""The ticket search on PostgreSQL is answered from the trigram indexes (migration
0013): the expressions Django writes for the search match the indexed ones."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from apps.tickets.models import Ticket

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's"
)


def test_the_staff_search_reads_the_three_trigram_indexes(staff_user):
    request = RequestFactory().get("/admin/tickets/ticket/", {"q": "1234567"})
    request.user = staff_user
    ticket_admin = admin.site._registry[Ticket]
    found, _may_repeat = ticket_admin.get_search_results(request, Ticket.objects.all(), "1234567")
    with connection.cursor() as cursor:
        # An empty test table is cheapest to scan: make the planner show what it could use.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = found.order_by().explain()  # the order is the list's; the match is the point
    for index in ("ticket_number_trgm", "ticket_summary_trgm", "ticket_phone_trgm"):
        assert f"Bitmap Index Scan on {index}" in plan, plan
