"""Intake keeps its reference data per process (TICKET_INTAKE_CACHE_SECONDS)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.tickets import ingest as intake
from apps.tickets.models import DeadlineRule
from tests.factories import UnitFactory

from .conftest import local

RECEIVED = local(2026, 3, 10, 10, 0)


@pytest.fixture
def cached(settings, db):
    settings.TICKET_INTAKE_CACHE_SECONDS = 60
    intake._intake.refresh()  # this test's data, not a snapshot left by an earlier test
    return settings


def tables_read(make_ticket, **fields):
    with CaptureQueriesContext(connection) as queries:
        make_ticket(**fields)
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_a_warm_intake_reads_no_reference_data(cached, make_ticket):
    make_ticket(received_at=RECEIVED)
    sql = tables_read(make_ticket, received_at=RECEIVED)
    for table in (
        "directory_region",
        "directory_unit",
        "diversion_diversionlist",
        "tickets_deadlinepolicy",
        "tickets_deadlinerule",
        "workcalendar_calendarday",
        "workcalendar_workingperiod",
    ):
        assert f'"{table}"' not in sql
    assert '"tickets_ticket"' in sql


def test_without_the_cache_every_intake_reads_it(settings, make_ticket):
    settings.TICKET_INTAKE_CACHE_SECONDS = 0
    make_ticket(received_at=RECEIVED)
    assert '"tickets_deadlinerule"' in tables_read(make_ticket, received_at=RECEIVED)


def test_a_unit_created_after_the_snapshot_is_found_at_once(cached, make_ticket, region):
    make_ticket(received_at=RECEIVED)
    new_unit = UnitFactory(region=region, name="市城管局")
    assert make_ticket(unit=new_unit, received_at=RECEIVED).unit == new_unit


def test_a_policy_edit_reaches_intake_when_the_snapshot_expires(cached, make_ticket):
    assert make_ticket(received_at=RECEIVED).sign_by == RECEIVED + timedelta(hours=2)
    DeadlineRule.objects.filter(policy__name="一般工单默认时限", milestone="sign").update(amount=1)
    # Within the cache's lifetime the process still applies the policy it read ...
    assert make_ticket(received_at=RECEIVED).sign_by == RECEIVED + timedelta(hours=2)
    cached.TICKET_INTAKE_CACHE_SECONDS = 0  # ... and once its copy has expired, the edit.
    assert make_ticket(received_at=RECEIVED).sign_by == RECEIVED + timedelta(hours=1)
