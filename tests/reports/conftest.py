"""The reports' shared week of tickets, every figure of which the tests work out by hand."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.notices.services import acknowledge
from apps.tickets import services, supervision
from apps.tickets.models import TicketEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 10)
E = TicketEvent.Type


def local(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def week(make_ticket, police, other_unit, staff_user):
    """Four ordinary tickets (sign within 2 hours, reply within 2 working days, complete
    within 7), every figure of which is worked out in the tests:

    a  DAY 09:00, signed in an hour, completed half an hour later (which meets the reply
       deadline too), rated satisfied;
    b  DAY 10:00, signed a minute late, completed a minute late, rated basically satisfied;
    c  DAY 23:50, restricted, returned by the police unsigned, re-routed to the other unit
       at 00:05, signed and completed there on time;
    d  DAY+1 00:10 in Shanghai (still DAY in UTC): never signed, so overdue now; one
       supervision notice, acknowledged.
    """
    a = make_ticket(received_at=local(DAY, 9))
    services.record_event(a, E.SIGNED, local(DAY, 10))
    services.record_event(a, E.COMPLETED, local(DAY, 10, 30))
    services.record_event(a, E.RATED, local(DAY, 11), rating="satisfied")

    b = make_ticket(received_at=local(DAY, 10))
    services.record_event(b, E.SIGNED, b.sign_by + timedelta(minutes=1))
    services.record_event(b, E.COMPLETED, b.complete_by + timedelta(minutes=1))
    services.record_event(
        b, E.RATED, b.complete_by + timedelta(hours=1), rating="basically_satisfied"
    )

    c = make_ticket(received_at=local(DAY, 23, 50), restriction="case")
    services.record_event(c, E.RETURNED, local(DAY, 23, 55), reason_code="not_our_duty")
    next_day = DAY + timedelta(days=1)
    c = services.reroute(c, other_unit, actor=staff_user, now=local(next_day, 0, 5))
    services.record_event(c, E.SIGNED, local(next_day, 1))
    services.record_event(c, E.COMPLETED, local(next_day, 2))

    d = make_ticket(received_at=local(next_day, 0, 10))
    notice = supervision.issue_notice_now(d, issued_by=staff_user)
    acknowledge(notice.notice, staff_user)
    return {"a": a, "b": b, "c": c, "d": d}
