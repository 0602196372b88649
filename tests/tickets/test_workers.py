"""Two real Celery workers scanning at once (PostgreSQL + Redis) never send a notice twice."""

from collections import Counter
from datetime import timedelta
from email import message_from_string

import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.roles import Role
from apps.tickets.models import SupervisionNotice
from tests.factories import UserFactory
from tests.workers import run_on_two_workers

SCANS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent workers need PostgreSQL (run with DATABASE_URL)",
    ),
]


def test_two_workers_scanning_at_once_send_each_notice_once(make_ticket, police, tmp_path):
    UserFactory(
        username="police-liaison", role=Role.LIAISON, unit=police, email="account@example.com"
    )
    received = timezone.now() - timedelta(hours=3)
    tickets = [make_ticket(urgency="urgent", received_at=received) for _ in range(150)]
    runs = run_on_two_workers(tmp_path, [("apps.tickets.tasks.scan_overdue_tickets", [])] * SCANS)
    assert all(runs), f"both workers must have scanned: {runs}"

    notices = SupervisionNotice.objects.filter(ticket__in=tickets)
    # urgent, 3 hours late: sign, arrive and reply each noticed and escalated
    assert notices.count() == len(tickets) * 6
    assert not notices.filter(notice__delivered_at__isnull=True).exists()
    numbers_by_address = Counter()
    for path in (tmp_path / "mail").iterdir():
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                headers, body = raw.strip().split("\n\n", 1)
                to = message_from_string(headers)["To"]
                for line in body.splitlines():
                    if "督办〔" in line:
                        number = line.split("】", 1)[1].split(" ", 1)[0]
                        numbers_by_address[(to, number)] += 1
    assert numbers_by_address, "no email was sent"
    duplicates = {k: n for k, n in numbers_by_address.items() if n > 1}
    assert not duplicates
    assert {number for _to, number in numbers_by_address} == {n.number for n in notices}
