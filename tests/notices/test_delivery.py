"""The one notice system: inbox, transports, digests, retries, undeliverable notices."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from apps.notices.models import (
    Channel,
    DeliveryPolicy,
    DeliveryState,
    Notice,
    NoticeKind,
    NoticeRecipient,
    RecipientStatus,
)
from apps.notices.services import Draft, Outbox, Recipient, deliver_pending, issue, issue_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOWN = "tests.notices.failing_mail.MailServerDown"


def draft(title="通知", recipients=(), **fields):
    return Draft(
        kind=NoticeKind.CONTACT_REMINDER,
        title=title,
        body=f"{title}的正文",
        recipients=list(recipients),
        **fields,
    )


def inbox_and_mail(user):
    return [
        Recipient(channel=Channel.IN_APP, user_id=user.pk),
        Recipient(channel=Channel.EMAIL, user_id=user.pk, address=user.email),
    ]


def test_a_notice_is_in_its_recipients_inboxes_only(liaison_user, leader_user):
    notice = issue(draft(recipients=inbox_and_mail(liaison_user)))
    assert list(Notice.objects.for_user(liaison_user)) == [notice]
    assert not Notice.objects.for_user(leader_user).exists()
    # The inbox is delivered as the notice is written; the email waits for a pass.
    assert notice.state == DeliveryState.DELIVERED and notice.delivered_at is not None
    assert notice.recipients.get(channel=Channel.EMAIL).status == RecipientStatus.PENDING


def test_delivery_sends_one_digest_per_address_per_pass(liaison_user):
    liaison_user.email = "liaison@example.com"
    liaison_user.save()
    for n in range(3):
        issue(draft(title=f"第{n}号", recipients=inbox_and_mail(liaison_user)))
    assert deliver_pending() == 3  # the three emails (the inbox has them already)
    assert len(mail.outbox) == 1
    assert all(f"第{n}号" in mail.outbox[0].body for n in range(3))
    assert not Notice.objects.filter(delivered_at__isnull=True).exists()
    assert deliver_pending() == 0 and len(mail.outbox) == 1  # never twice


def test_a_failed_email_is_retried_later_with_its_error_recorded(liaison_user):
    liaison_user.email = "liaison@example.com"
    liaison_user.save()
    notice = issue(draft(recipients=inbox_and_mail(liaison_user)))
    start = timezone.now()
    with override_settings(EMAIL_BACKEND=DOWN):
        deliver_pending(start)
    email = NoticeRecipient.objects.get(notice=notice, channel=Channel.EMAIL)
    assert email.status == RecipientStatus.PENDING and email.attempts == 1
    assert "Connection refused" in email.last_error
    assert email.next_attempt_at == start + timedelta(minutes=10)
    notice.refresh_from_db()
    assert notice.state == DeliveryState.DELIVERED  # the inbox has it meanwhile
    deliver_pending(start + timedelta(minutes=5))  # not yet due again
    assert not mail.outbox
    deliver_pending(start + timedelta(minutes=11))
    email.refresh_from_db()
    assert email.status == RecipientStatus.SENT and email.last_error == ""
    assert [m.to for m in mail.outbox] == [["liaison@example.com"]]


def test_retries_stop_after_the_policys_attempts(liaison_user):
    policy = DeliveryPolicy.current()
    policy.max_attempts, policy.retry_after_minutes = 2, 1
    policy.save()
    issue(draft(recipients=[Recipient(channel=Channel.EMAIL, address="gone@example.com")]))
    moment = timezone.now()
    with override_settings(EMAIL_BACKEND=DOWN):
        for minutes in (0, 2, 10, 60):
            deliver_pending(moment + timedelta(minutes=minutes))
    email = NoticeRecipient.objects.get()
    assert (email.status, email.attempts) == (RecipientStatus.FAILED, 2)


def test_a_delivery_left_by_a_dead_worker_is_taken_again(liaison_user):
    notice = issue(draft(recipients=[Recipient(channel=Channel.EMAIL, address="x@example.com")]))
    long_ago = timezone.now() - timedelta(hours=1)
    NoticeRecipient.objects.filter(notice=notice).update(
        status=RecipientStatus.SENDING, claimed_at=long_ago
    )
    assert deliver_pending() == 1
    assert [m.to for m in mail.outbox] == [["x@example.com"]]


def test_an_issuers_outbox_holds_its_deliveries_until_it_sends_them(liaison_user):
    liaison_user.email = "liaison@example.com"
    liaison_user.save()
    outbox = Outbox()
    ids = issue_many(
        [draft(title=f"第{n}号", recipients=inbox_and_mail(liaison_user)) for n in range(2)],
        outbox=outbox,
    )
    emails = NoticeRecipient.objects.filter(channel=Channel.EMAIL)
    # Claimed as they are written: another delivery pass leaves them to the issuer.
    assert set(emails.values_list("status", flat=True)) == {RecipientStatus.SENDING}
    assert deliver_pending() == 0 and not mail.outbox
    assert outbox.send() == 2
    assert [m.to for m in mail.outbox] == [["liaison@example.com"]]  # one digest
    assert "第0号" in mail.outbox[0].body and "第1号" in mail.outbox[0].body
    assert set(emails.values_list("status", flat=True)) == {RecipientStatus.SENT}
    assert outbox.send() == 0 and deliver_pending() == 0 and len(mail.outbox) == 1
    assert set(Notice.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        DeliveryState.DELIVERED
    }


def test_what_an_issuer_died_holding_is_sent_by_the_next_pass_after_the_stale_limit(db):
    issue_many(
        [draft(recipients=[Recipient(channel=Channel.EMAIL, address="x@example.com")])],
        outbox=Outbox(),  # never sent: the issuer died
    )
    stale = timedelta(minutes=DeliveryPolicy.current().stale_after_minutes)
    assert deliver_pending(timezone.now() + stale / 2) == 0
    assert deliver_pending(timezone.now() + stale + timedelta(minutes=1)) == 1
    assert [m.to for m in mail.outbox] == [["x@example.com"]]
    assert Notice.objects.get().delivered_at is not None  # reached someone at last


def test_an_outbox_send_that_fails_is_retried_by_the_delivery_passes(liaison_user):
    outbox = Outbox()
    issue_many(
        [draft(recipients=[Recipient(channel=Channel.EMAIL, address="x@example.com")])],
        outbox=outbox,
    )
    start = timezone.now()
    with override_settings(EMAIL_BACKEND=DOWN):
        assert outbox.send(start) == 0
    email = NoticeRecipient.objects.get()
    assert (email.status, email.attempts) == (RecipientStatus.PENDING, 1)
    assert deliver_pending(start + timedelta(minutes=11)) == 1


def test_nobody_to_receive_it_is_undeliverable_and_staff_hear_once(staff_user, liaison_user):
    lost = [issue(draft(title=f"无人接收{n}", addressed_to="市城管局（南通市）")) for n in range(2)]
    assert {n.state for n in lost} == {DeliveryState.UNDELIVERABLE}
    deliver_pending()
    deliver_pending()
    report = Notice.objects.get(kind=NoticeKind.UNDELIVERABLE)
    assert list(Notice.objects.for_user(staff_user)) == [report]
    assert all(n.title in report.body for n in lost)
    assert not Notice.objects.for_user(liaison_user).exists()
    assert not Notice.objects.filter(pk__in=[n.pk for n in lost], delivered_at__isnull=False)


def test_staff_filter_the_undeliverable_ones(client, staff_user):
    issue(draft(title="无人接收"))
    issue(
        draft(
            title="有人接收", recipients=[Recipient(channel=Channel.IN_APP, user_id=staff_user.pk)]
        )
    )
    client.force_login(staff_user)
    page = client.get("/admin/notices/notice/?state__exact=undeliverable")
    titles = [n.title for n in page.context["cl"].result_list]
    assert titles == ["无人接收"]


def test_the_inbox_shows_the_whole_text_and_marks_it_read(client, liaison_user):
    notice = issue(
        draft(
            title="请确认", recipients=[Recipient(channel=Channel.IN_APP, user_id=liaison_user.pk)]
        )
    )
    client.force_login(liaison_user)
    page = client.get(f"/admin/notices/notice/{notice.pk}/change/")
    assert "请确认的正文" in page.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_inbox_page_acknowledges_a_notice_that_asks_for_it(client, liaison_user, staff_user):
    notice = issue(
        draft(
            recipients=[Recipient(channel=Channel.IN_APP, user_id=liaison_user.pk)],
            requires_acknowledgement=True,
        )
    )
    url = f"/admin/notices/notice/{notice.pk}/change/"
    client.force_login(staff_user)  # sees it, is not its recipient: no button
    assert "acknowledge-button" not in client.get(url).content.decode()
    client.force_login(liaison_user)
    assert "acknowledge-button" in client.get(url).content.decode()
    client.post(
        "/admin/notices/notice/", {"action": "acknowledge", "_selected_action": [notice.pk]}
    )
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert "acknowledge-button" not in client.get(url).content.decode()


def test_a_second_account_of_the_same_person_is_a_separate_recipient(db):
    first = UserFactory(email="same@example.com")
    second = UserFactory(email="same@example.com")
    issue(draft(recipients=inbox_and_mail(first) + inbox_and_mail(second)))
    deliver_pending()
    assert len(mail.outbox) == 1  # one digest per address, whoever's accounts


def test_only_staff_see_how_a_notice_went_to_each_address(client, liaison_user, staff_user):
    notice = issue(
        draft(
            recipients=[
                Recipient(channel=Channel.IN_APP, user_id=liaison_user.pk),
                Recipient(channel=Channel.EMAIL, address="leader-private@example.com"),
            ]
        )
    )
    client.force_login(liaison_user)
    page = client.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert "leader-private@example.com" not in page
    client.force_login(staff_user)
    page = client.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert "leader-private@example.com" in page
