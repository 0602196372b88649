"""A liaison's handling: a result with photos, a return with its reason, and the files'
download, open only to whoever may see the ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from apps.accounts.roles import Role
from apps.tickets.models import TicketAttachment
from tests.factories import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def liaison(police):
    return UserFactory(username="police-liaison", role=Role.LIAISON, unit=police)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def act(client, ticket, name, data=None):
    return client.post(reverse("admin:tickets_ticket_act", args=[ticket.pk, name]), data or {})


def test_a_liaison_replies_with_a_result_and_a_photo(client, liaison, make_ticket):
    ticket = make_ticket()
    client.force_login(liaison)
    act(client, ticket, "sign")
    form = client.get(reverse("admin:tickets_ticket_act", args=[ticket.pk, "reply"]))
    assert form.status_code == 200 and 'name="result"' in form.content.decode()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    act(client, ticket, "reply", {"result": "已到现场，犬主已承诺牵绳。", "files": [photo]})
    ticket.refresh_from_db()
    assert ticket.status == "replied"
    event = ticket.events.get(type="replied")
    assert event.data["result"] == "已到现场，犬主已承诺牵绳。" and event.actor == liaison
    (attachment,) = TicketAttachment.objects.filter(event=event)
    assert attachment.name == "现场.png" and attachment.content_type == "image/png"
    assert "现场" not in attachment.file.name  # stored under our own name
    history = client.get(reverse("admin:tickets_ticket_history", args=[ticket.pk]))
    assert "已到现场，犬主已承诺牵绳。" in history.content.decode()
    page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    download = reverse("admin:tickets_ticket_attachment", args=[ticket.pk, attachment.pk])
    assert download in page
    response = client.get(download)
    assert b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_result_is_required_and_files_are_checked_by_content(client, liaison, make_ticket):
    ticket = make_ticket()
    client.force_login(liaison)
    act(client, ticket, "sign")
    empty = act(client, ticket, "complete", {"result": ""})
    assert "result" in empty.context["form"].errors
    script = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    refused = act(client, ticket, "complete", {"result": "办结", "files": [script]})
    assert "photo.png" in refused.context["form"].errors["files"][0]
    with override_settings(TICKET_ATTACHMENT_MAX_BYTES=10):
        big = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
        too_big = act(client, ticket, "complete", {"result": "办结", "files": [big]})
    assert "scan.pdf" in too_big.context["form"].errors["files"][0]
    ticket.refresh_from_db()
    assert ticket.status == "signed" and not TicketAttachment.objects.exists()


def test_a_liaison_returns_a_misrouted_ticket_with_a_reason(client, liaison, make_ticket):
    ticket = make_ticket()
    client.force_login(liaison)
    page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    assert "ticket-action-return" in page
    act(client, ticket, "return", {"reason_code": "not_our_duty", "reason_text": "属城管职责"})
    ticket.refresh_from_db()
    assert ticket.status == "returned"
    assert (ticket.return_reason, ticket.return_note) == ("not_our_duty", "属城管职责")
    assert ticket.events.get(type="returned").data["reason_text"] == "属城管职责"


def test_attachments_open_only_to_who_sees_the_ticket(
    client, liaison, leader_user, make_ticket, tier3_unit
):
    ticket = make_ticket()
    client.force_login(liaison)
    act(client, ticket, "sign")
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    act(client, ticket, "reply", {"result": "已处理", "files": [photo]})
    attachment = TicketAttachment.objects.get()
    url = reverse("admin:tickets_ticket_attachment", args=[ticket.pk, attachment.pk])
    other_liaison = UserFactory(role=Role.LIAISON, unit=tier3_unit)
    client.force_login(other_liaison)
    assert client.get(url).status_code in (302, 404)
    client.force_login(leader_user)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
