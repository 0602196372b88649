"""Twenty-four requests with one Idempotency-Key at the same moment, at a live server."""

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.accounts.roles import Role
from apps.tickets.models import IdempotencyKey, Ticket
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REQUESTS = 24


class RaceServer(ThreadedWSGIServer):
    # Django's server queues 10 connections; 24 at once would see some of them reset.
    request_queue_size = 64


@pytest.fixture
def server_url():
    """The real WSGI app on a threaded HTTP server: a thread per request, each with its own
    database connection, as under gunicorn's threads."""
    server = RaceServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def _post(url, token, key, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _race(url, token, bodies, key):
    """Fire every body at once (a barrier releases all threads together)."""
    barrier = threading.Barrier(len(bodies))
    answers = [None] * len(bodies)

    def send(index):
        barrier.wait()
        answers[index] = _post(url, token, key, bodies[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_one_ticket_per_key_under_concurrency(server_url, region):
    unit = UnitFactory(region=region, name="市公安局")
    user = UserFactory(username="p12345", role=Role.PLATFORM, is_staff=False, platform="12345")
    token = Token.objects.create(user=user).key
    url = f"{server_url}/api/v1/tickets/"

    def body(n):
        return {
            "external_id": f"RACE-{n}",
            "region": region.division_code,
            "received_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            "channel": "phone",
            "transfer_method": "one_key",
            "urgency": "general",
            "unit": unit.pk,
            "summary": f"并发 {n}",
        }

    # Different bodies under one key: one is created, every other is refused.
    answers = _race(url, token, [body(n) for n in range(REQUESTS)], "same-key")
    statuses = Counter(status for status, _answer in answers)
    assert statuses == {201: 1, 422: REQUESTS - 1}, statuses
    assert Ticket.objects.count() == 1
    # The same body under another key: one ticket, and every answer names it.
    answers = _race(url, token, [body("same")] * REQUESTS, "second-key")
    assert Counter(status for status, _a in answers) == {201: 1, 200: REQUESTS - 1}
    assert len({answer["id"] for _status, answer in answers}) == 1
    assert Ticket.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2
