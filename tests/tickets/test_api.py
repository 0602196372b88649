"""The exchange API as the 12345 and 110 platforms use it."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from apps.tickets.models import Ticket


def test_push_creates_the_ticket_with_its_deadlines(hotline, body):
    response = hotline.post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["status"] == "transferred"
    assert set(answer["deadlines"]) == {"sign_by", "arrive_by", "reply_by", "complete_by"}
    assert answer["deadlines"]["sign_by"] is not None
    ticket = Ticket.objects.get(pk=answer["id"])
    assert ticket.source_platform == "12345" and ticket.events.get().type == "created"


def test_same_external_id_returns_the_existing_ticket(hotline, body):
    first = hotline.post("/api/v1/tickets/", body, format="json").json()
    again = hotline.post("/api/v1/tickets/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert Ticket.objects.count() == 1


def test_same_external_id_from_the_other_platform_is_another_ticket(hotline, police_desk, body):
    hotline.post("/api/v1/tickets/", body, format="json")
    assert police_desk.post("/api/v1/tickets/", body, format="json").status_code == 201


def test_idempotency_key(hotline, body):
    headers = {"HTTP_IDEMPOTENCY_KEY": "key-1"}
    first = hotline.post("/api/v1/tickets/", body, format="json", **headers)
    assert first.status_code == 201
    again = hotline.post("/api/v1/tickets/", body, format="json", **headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    changed = hotline.post(
        "/api/v1/tickets/", {**body, "summary": "另一件事"}, format="json", **headers
    )
    assert changed.status_code == 422
    assert Ticket.objects.count() == 1


def test_bad_fields_are_each_named(hotline, body):
    bad = {
        **body,
        "region": "3206",
        "urgency": "very",
        "received_at": "2026-11-01T10:00:00",
        "channel": "",
    }
    response = hotline.post("/api/v1/tickets/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"region", "urgency", "received_at", "channel"}
    assert "时区" in errors["received_at"][0]
    assert not Ticket.objects.exists()


def test_unknown_unit_and_item_are_named(hotline, body):
    response = hotline.post(
        "/api/v1/tickets/", {**body, "unit": 999999, "diversion_item": "H2P-999"}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_unit_of_another_city_is_refused(hotline, body):
    from apps.directory.models import Region
    from tests.factories import UnitFactory

    other = UnitFactory(
        region=Region.objects.create(name="晋城市", division_code="140500", level="city"),
        name="晋城公安",
    )
    response = hotline.post("/api/v1/tickets/", {**body, "unit": other.pk}, format="json")
    assert response.status_code == 400 and "晋城市" in response.json()["unit"][0]


def test_batch_one_bad_item_does_not_drop_the_others(hotline, body):
    items = [{**body, "external_id": f"B{i}"} for i in range(5)]
    items[2]["urgency"] = "nope"
    items[3] = {**items[0]}  # the same ticket twice
    response = hotline.post("/api/v1/tickets/batch/", items, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["result"] for r in results] == ["created", "created", "error", "existing", "created"]
    assert results[3]["id"] == results[0]["id"]
    assert "urgency" in results[2]["errors"]
    assert Ticket.objects.count() == 3
    again = hotline.post("/api/v1/tickets/batch/", items[:2], format="json").json()["results"]
    assert [r["result"] for r in again] == ["existing", "existing"]


def test_batch_limit(hotline, body):
    response = hotline.post("/api/v1/tickets/batch/", [body] * 1001, format="json")
    assert response.status_code == 400


def test_events_follow_the_lifecycle_and_refuse_with_409(hotline, body):
    ticket_id = hotline.post("/api/v1/tickets/", body, format="json").json()["id"]
    url = f"/api/v1/tickets/{ticket_id}/events/"
    now = timezone.now().isoformat()
    refused = hotline.post(url, {"type": "completed", "at": now}, format="json")
    assert refused.status_code == 409
    assert "待签收" in refused.json()["detail"]
    signed = hotline.post(url, {"type": "signed", "at": now}, format="json")
    assert signed.status_code == 201 and signed.json()["status"] == "signed"
    repeat = hotline.post(url, {"type": "signed", "at": now}, format="json")
    assert repeat.status_code == 200
    missing = hotline.post(url, {"type": "returned", "at": now}, format="json")
    assert missing.status_code == 400 and "reason_code" in missing.json()


def test_restricted_tickets_never_reach_the_other_platform(hotline, police_desk, body):
    secret = hotline.post(
        "/api/v1/tickets/", {**body, "restricted": "stability"}, format="json"
    ).json()
    open_one = hotline.post(
        "/api/v1/tickets/", {**body, "external_id": "OPEN"}, format="json"
    ).json()
    seen = {t["id"] for t in police_desk.get("/api/v1/tickets/").json()["results"]}
    assert open_one["id"] in seen and secret["id"] not in seen
    assert police_desk.get(f"/api/v1/tickets/{secret['id']}/").status_code == 404
    assert secret["restricted"] is True


def test_caller_phone_is_masked_for_the_other_platform(hotline, police_desk, body):
    created = hotline.post("/api/v1/tickets/", body, format="json").json()
    assert created["caller_phone"] == "13812345678"
    other = police_desk.get(f"/api/v1/tickets/{created['id']}/").json()
    assert other["caller_phone"] == "138****5678"


def test_list_filters_and_cursor_pagination(hotline, body, police):
    for i in range(5):
        hotline.post(
            "/api/v1/tickets/",
            {**body, "external_id": f"L{i}", "urgency": "general" if i % 2 else "urgent"},
            format="json",
        )
    page = hotline.get("/api/v1/tickets/", {"urgency": "urgent", "page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = hotline.get(page["next"]).json()
    assert len(rest["results"]) == 1
    assert hotline.get("/api/v1/tickets/", {"unit": police.pk}).json()["results"]
    assert hotline.get("/api/v1/tickets/", {"overdue": "true"}).json()["results"] == []
    received_after = (timezone.now() + timedelta(hours=1)).isoformat()
    assert (
        hotline.get("/api/v1/tickets/", {"received_after": received_after}).json()["results"] == []
    )


def test_only_platform_clients_push(client, staff_user, body):
    api = APIClient()
    api.force_authenticate(staff_user)
    assert api.post("/api/v1/tickets/", body, format="json").status_code == 403


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _signed(hotline, body):
    ticket_id = hotline.post("/api/v1/tickets/", body, format="json").json()["id"]
    url = f"/api/v1/tickets/{ticket_id}/events/"
    hotline.post(url, {"type": "signed", "at": timezone.now().isoformat()}, format="json")
    return Ticket.objects.get(pk=ticket_id), url


def test_a_reply_carries_its_handling_result_and_photos(hotline, body, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    ticket, url = _signed(hotline, body)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = hotline.post(
        url,
        {
            "type": "replied",
            "at": timezone.now().isoformat(),
            "result": "已到场劝离",
            "files": [photo],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    event = ticket.events.get(type="replied")
    assert event.data["result"] == "已到场劝离"
    assert [a.name for a in event.attachments.all()] == ["现场.png"]


def test_a_handling_result_only_with_a_reply_or_completion_and_files_checked(hotline, body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket, url = _signed(hotline, body)
    now = timezone.now().isoformat()
    wrong_step = hotline.post(url, {"type": "arrived", "at": now, "result": "到场"}, format="json")
    assert wrong_step.status_code == 400 and "result" in wrong_step.json()
    script = SimpleUploadedFile("a.png", b"<script>alert(1)</script>", content_type="image/png")
    not_a_photo = hotline.post(
        url, {"type": "replied", "at": now, "files": [script]}, format="multipart"
    )
    assert not_a_photo.status_code == 400 and "files" in not_a_photo.json()
    ticket.refresh_from_db()
    assert ticket.status == "signed" and not ticket.events.filter(type="replied").exists()
