"""Malformed and hostile input to the exchange API: clear 4xx answers, nothing half-saved."""

import json
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.tickets.models import IdempotencyKey, Ticket

URL = "/api/v1/tickets/"


def _raw(client, url, text, **headers):
    return client.generic("POST", url, text, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "moment", ["2026-11-22T09:30:00+16:00", "2026-11-22T09:30:00-13:00", "yesterday", "2026-13-01"]
)
def test_bad_moments_in_filters_are_400_naming_the_filter(hotline, moment):
    response = hotline.get(URL, {"received_after": moment})
    assert response.status_code == 400
    assert "received_after" in response.json()


def test_an_unencoded_plus_in_a_filter_is_understood(hotline, body):
    hotline.post(URL, body, format="json")
    since = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    response = hotline.get(f"{URL}?received_after={since}")  # "+" arrives as a space
    assert response.status_code == 200 and len(response.json()["results"]) == 1


@pytest.mark.parametrize("ticket_id", ["abc", "1.5", "99999999999999999999999"])
def test_ids_that_name_no_ticket_are_404(hotline, ticket_id):
    for url in (f"{URL}{ticket_id}/events/", f"{URL}{ticket_id}/"):
        response = hotline.post(url, {"type": "signed", "at": timezone.now().isoformat()})
        assert response.status_code in (404, 405)
    assert hotline.get(f"{URL}{ticket_id}/").status_code == 404


def test_unit_filter_out_of_range_is_400(hotline):
    assert hotline.get(URL, {"unit": "99999999999999999999999"}).status_code == 400


@pytest.mark.parametrize("key", ["k" * 129, "k" * 200, "带中文", "with space"])
def test_bad_idempotency_keys_are_refused_before_anything_is_saved(hotline, body, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key.encode().decode("latin-1")}
    response = hotline.post(URL, body, format="json", **headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Ticket.objects.exists() and not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("text", ['"\\ud800"', '"abc\\udfffdef"', '"nul\\u0000"'])
def test_text_that_cannot_be_stored_is_400(hotline, body, text):
    raw = json.dumps(body, ensure_ascii=True).replace('"小区门口有人打架"', text)
    raw = raw.replace(json.dumps(body["summary"]), text)
    response = _raw(hotline, URL, raw, HTTP_IDEMPOTENCY_KEY="surrogate-1")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()
    assert not Ticket.objects.exists()


def test_an_invalid_key_body_and_a_valid_key_with_another_body(hotline, body):
    first = hotline.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    other = hotline.post(
        URL, {**body, "external_id": "OTHER"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert Ticket.objects.count() == 1


def test_a_known_ticket_sent_again_under_a_new_key_is_that_ticket(hotline, body):
    first = hotline.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-a")
    again = hotline.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-b")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert IdempotencyKey.objects.filter(ticket_id=first.json()["id"]).count() == 2


@override_settings(TICKET_INTAKE_CACHE_SECONDS=60)
def test_a_keyed_ticket_costs_a_fixed_number_of_statements(hotline, body):
    """Known external id?, ticket, its event, its key, in one transaction (here a
    savepoint inside the test's): the key row used to be inserted first, in a savepoint
    of its own, and pointed at its ticket by an UPDATE afterwards."""
    hotline.post(URL, {**body, "external_id": "WARM"}, format="json")  # reads the snapshot
    with CaptureQueriesContext(connection) as captured:
        response = hotline.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-n")
    assert response.status_code == 201
    statements = [" ".join(q["sql"].split()[:3]) for q in captured.captured_queries]
    assert [s.split()[0] for s in statements] == [
        "SAVEPOINT",
        "SELECT",
        "INSERT",
        "INSERT",
        "INSERT",
        "RELEASE",
    ], statements


def test_a_refused_ticket_does_not_keep_its_key(hotline, body):
    bad = hotline.post(URL, {**body, "unit": 999999}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    good = hotline.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert good.status_code == 201


@pytest.mark.parametrize(
    ("suffix", "accepted"),
    [("+08:00", True), ("+0800", True), ("+08", True), ("Z", True), ("", False)],
)
def test_every_iso_offset_form_is_accepted(hotline, body, suffix, accepted):
    moment = (timezone.now() - timedelta(minutes=10)).astimezone(timezone.get_current_timezone())
    if suffix == "Z":
        moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + suffix
    response = hotline.post(URL, {**body, "received_at": text}, format="json")
    assert (response.status_code == 201) is accepted, response.json()


def test_a_date_without_time_is_refused_with_a_message(hotline, body):
    response = hotline.post(URL, {**body, "received_at": "2026-11-30"}, format="json")
    assert response.status_code == 400
    assert response.json()["received_at"]
    assert not Ticket.objects.exists()


def test_a_full_batch_at_maximum_field_sizes_is_accepted(hotline, body, police):
    tickets = [
        {
            **body,
            "external_id": f"MAX{n:061d}",
            "summary": "汉" * 4000,
            "caller_phone": "1" * 20,
            "co_units": [police.pk] * 20,
        }
        for n in range(1000)
    ]
    raw = json.dumps(tickets, ensure_ascii=True)  # \\u-escaped: the largest form
    assert len(raw) > 20 * 1024 * 1024
    response = _raw(hotline, f"{URL}batch/", raw)
    assert response.status_code == 200
    assert {r["result"] for r in response.json()["results"]} == {"created"}


@override_settings(API_MAX_BODY_BYTES=10_000)
def test_a_body_over_the_limit_gets_a_json_413(hotline, body):
    raw = json.dumps([{**body, "summary": "长" * 2000}] * 5)
    response = _raw(hotline, f"{URL}batch/", raw)
    assert response.status_code == 413
    answer = response.json()
    assert answer["limit_bytes"] == 10_000 and answer["limit_tickets"] == 1000
    assert "10,000" in answer["detail"]
    assert not Ticket.objects.exists()
