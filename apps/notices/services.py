"""Issuing notices, delivering them, reading and acknowledging them.

Every message to a person goes through ``issue`` (one notice) or ``issue_many`` (a scan's
thousands, in a few statements), and reaches people only through ``deliver_pending``:
deliveries are claimed with one conditional UPDATE, so two workers never send one twice,
and a failed one is retried with its error recorded.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.bulk import insert_rows, with_ids
from apps.core.claims import claim

from .models import (
    Channel,
    DeliveryPolicy,
    DeliveryState,
    Notice,
    NoticeKind,
    NoticeRecipient,
    RecipientStatus,
)
from .transports import TRANSPORTS


@dataclass(frozen=True)
class Recipient:
    """One way to reach one person: an account's inbox, or an email address."""

    channel: str
    user_id: int | None = None
    address: str = ""


@dataclass
class Draft:
    """A notice to issue: its text and who receives it."""

    kind: str
    title: str
    body: str
    recipients: list
    number: str = ""
    addressed_to: str = ""
    link: str = ""
    requires_acknowledgement: bool = False
    issued_by_id: int | None = None


def issue(draft: Draft, *, now=None) -> Notice:
    """Issue one notice; its delivery follows on commit."""
    (notice_id,) = issue_many([draft], now=now)
    return Notice.objects.get(pk=notice_id)


def issue_many(drafts: list[Draft], *, now=None, outbox: "Outbox | None" = None) -> list[int]:
    """Issue notices in one statement per table; returns their ids in order.

    A channel whose transport delivers on issue (the inbox) is delivered here; the others
    by a delivery task started on commit (or the caller's own ``deliver_pending``), or,
    given an ``outbox``, by the caller sending it once this transaction has committed. A
    notice without any recipient is undeliverable from the start and is reported to staff.
    """
    if not drafts:
        return []
    now = now or timezone.now()
    at_once = {channel for channel, t in TRANSPORTS.items() if t.delivers_on_issue}
    later = RecipientStatus.PENDING if outbox is None else RecipientStatus.SENDING
    ids = insert_rows(
        Notice,
        [
            {
                "kind": d.kind,
                "number": d.number,
                "addressed_to": d.addressed_to,
                "title": d.title,
                "body": d.body,
                "link": d.link,
                "requires_acknowledgement": d.requires_acknowledgement,
                "created_at": now,
                "issued_by_id": d.issued_by_id,
                "state": _state_at_issue(d.recipients, at_once),
                "delivered_at": now if any(r.channel in at_once for r in d.recipients) else None,
                "reported_at": None,
                "read_at": None,
                "acknowledged_at": None,
                "acknowledged_by_id": None,
            }
            for d in drafts
        ],
    )
    rows = [
        {
            "notice_id": notice_id,
            "channel": r.channel,
            "user_id": r.user_id,
            "address": r.address,
            "status": RecipientStatus.SENT if r.channel in at_once else later,
            "attempts": 0,
            "next_attempt_at": now,
            "claimed_at": None if outbox is None else now,
            "sent_at": now if r.channel in at_once else None,
            "last_error": "",
        }
        for notice_id, d in zip(ids, drafts, strict=True)
        for r in dict.fromkeys(d.recipients)  # the same way to a person once
    ]
    recipient_ids = insert_rows(NoticeRecipient, rows)
    if outbox is None:
        from .tasks import deliver_notices  # the task module imports this one

        transaction.on_commit(deliver_notices.delay)
    else:
        outbox.hold(ids, drafts, rows, recipient_ids, delivered=at_once)
    return ids


def _state_at_issue(recipients, at_once):
    if not recipients:
        return DeliveryState.UNDELIVERABLE
    if any(r.channel in at_once for r in recipients):
        return DeliveryState.DELIVERED
    return DeliveryState.PENDING


@dataclass(slots=True)
class Letter:
    """What a transport sends of a notice."""

    title: str
    body: str
    delivered_at: datetime | None  # when it first reached someone


@dataclass(slots=True)
class Delivery:
    """One claimed delivery, as its transport and the outcome need it: plain objects,
    not model instances (a pass handles thousands)."""

    pk: int
    channel: str
    address: str
    user_id: int | None
    attempts: int
    notice_id: int
    notice: Letter


def deliver_pending(now=None, *, limit=5000) -> int:
    """Deliver what is due, by channel, until nothing is left; returns how many were
    sent. Then tells staff, once, about notices nobody could receive."""
    now = now or timezone.now()
    policy = DeliveryPolicy.current()
    stale = now - timedelta(minutes=policy.stale_after_minutes)
    sent = 0
    while True:
        # One statement: claimed rows are this pass's alone, in or outside a transaction.
        ids = claim(
            NoticeRecipient,
            where="(status = %s AND next_attempt_at <= %s) OR (status = %s AND claimed_at < %s)",
            params=[RecipientStatus.PENDING, now, RecipientStatus.SENDING, stale],
            set_="status = %s, claimed_at = %s",
            set_params=[RecipientStatus.SENDING, now],
            order_by="id",
            limit=limit,
        )
        if not ids:
            break
        sent += _deliver(_claimed_deliveries(ids), now, policy)
    report_undeliverable(now)
    return sent


def _claimed_deliveries(ids) -> list[Delivery]:
    letters = {}
    deliveries = []
    rows = (
        with_ids(NoticeRecipient.objects, ids)
        .order_by("id")
        .values_list(
            "id",
            "channel",
            "address",
            "user_id",
            "attempts",
            "notice_id",
            "notice__title",
            "notice__body",
            "notice__delivered_at",
        )
    )
    for pk, channel, address, user_id, attempts, notice_id, *letter in rows:
        if notice_id not in letters:
            letters[notice_id] = Letter(*letter)
        deliveries.append(
            Delivery(pk, channel, address, user_id, attempts, notice_id, letters[notice_id])
        )
    return deliveries


class Outbox:
    """Deliveries their issuer holds: written already claimed (``sending``, claimed when
    issued), and sent by the issuer itself once the issuing transaction has committed.

    A scan issuing thousands of notices has their addresses and text in hand: claiming
    the rows it has just written and reading them back would double its work. Nobody
    else takes them unless they stay claimed past the stale limit (the issuer died
    before sending), as with any claimed delivery.
    """

    def __init__(self):
        self.deliveries = []

    def hold(self, notice_ids, drafts, rows, recipient_ids, *, delivered):
        letters = {
            notice_id: Letter(d.title, d.body, None)
            for notice_id, d in zip(notice_ids, drafts, strict=True)
        }
        for row, pk in zip(rows, recipient_ids, strict=True):
            letter = letters[row["notice_id"]]
            if row["channel"] in delivered:
                letter.delivered_at = row["sent_at"]  # reached an inbox already
                continue
            self.deliveries.append(
                Delivery(
                    pk,
                    row["channel"],
                    row["address"],
                    row["user_id"],
                    0,
                    row["notice_id"],
                    letter,
                )
            )

    def send(self, now=None) -> int:
        """Send what is held; only after the transaction that issued it has committed."""
        deliveries, self.deliveries = self.deliveries, []
        if not deliveries:
            return 0
        return _deliver(deliveries, now or timezone.now(), DeliveryPolicy.current())


def _deliver(deliveries, now, policy) -> int:
    """Send claimed deliveries through their channels' transports and record the
    outcome; returns how many were sent."""
    failed = {d.pk: "No transport for this channel." for d in deliveries}
    for channel, transport in TRANSPORTS.items():
        mine = [d for d in deliveries if d.channel == channel]
        if mine:
            for delivery in mine:
                del failed[delivery.pk]
            failed.update(transport.send(mine))
    return _record_outcome(deliveries, failed, now, policy)


def _record_outcome(deliveries, failed, now, policy) -> int:
    done = [d.pk for d in deliveries if d.pk not in failed]
    with transaction.atomic():
        with_ids(NoticeRecipient.objects, done).update(
            status=RecipientStatus.SENT, sent_at=now, last_error=""
        )
        # One UPDATE per (attempt, error): an outage fails thousands alike.
        groups = {}
        for delivery in deliveries:
            if delivery.pk in failed:
                key = (delivery.attempts + 1, failed[delivery.pk][:2000])
                groups.setdefault(key, []).append(delivery.pk)
        for (attempts, error), ids in groups.items():
            delay = timedelta(minutes=policy.retry_after_minutes * 2 ** (attempts - 1))
            with_ids(NoticeRecipient.objects, ids).update(
                status=(
                    RecipientStatus.FAILED
                    if attempts >= policy.max_attempts
                    else RecipientStatus.PENDING
                ),
                attempts=attempts,
                next_attempt_at=now + delay,
                last_error=error,
            )
        # Most notices reached an inbox when issued: only the others change here.
        reached = {
            d.notice_id for d in deliveries if d.pk not in failed and d.notice.delivered_at is None
        }
        if reached:
            with_ids(Notice.objects, reached).filter(delivered_at__isnull=True).update(
                state=DeliveryState.DELIVERED, delivered_at=now
            )
    return len(done)


def report_undeliverable(now=None) -> Notice | None:
    """One notice to staff listing the notices nobody could receive since the last one."""
    now = now or timezone.now()
    ids = claim(
        Notice,
        where="state = %s AND reported_at IS NULL AND kind <> %s",
        params=[DeliveryState.UNDELIVERABLE, NoticeKind.UNDELIVERABLE],
        set_="reported_at = %s",
        set_params=[now],
        order_by="id",
        limit=1000,
    )
    if not ids:
        return None
    try:
        return issue(_undeliverable_report(ids), now=now)
    except Exception:
        # Not reported after all: the next pass claims them again.
        Notice.objects.filter(pk__in=ids).update(reported_at=None)
        raise


def _undeliverable_report(ids) -> Draft:
    lost = Notice.objects.filter(pk__in=ids).order_by("id")
    lines = [f"{n.number or '—'} {n.addressed_to}：{n.title}" for n in lost]
    return Draft(
        kind=NoticeKind.UNDELIVERABLE,
        title=_("%(n)d notice(s) could not be delivered") % {"n": len(lines)},
        body="\n".join(
            [
                _(
                    "Nobody could receive these notices: the unit has no current contact "
                    "with an account or an email address. Add the contacts, then tell "
                    "the unit in person."
                ),
                *lines,
            ]
        ),
        recipients=staff_recipients(),
        link=reverse("admin:notices_notice_changelist") + "?state__exact=undeliverable",
    )


def staff_recipients() -> list[Recipient]:
    """The command-centre staff's inboxes and addresses: whom the office's own work reaches."""
    staff = User.objects.filter(
        Q(groups__name=Role.STAFF) | Q(is_superuser=True), is_active=True
    ).distinct()
    return recipients_of_accounts(staff)


def recipients_of_accounts(users) -> list[Recipient]:
    """The inbox of each account, and its email where it has one."""
    found = []
    for user_id, email in users.values_list("pk", "email"):
        found.append(Recipient(channel=Channel.IN_APP, user_id=user_id))
        if email:
            found.append(Recipient(channel=Channel.EMAIL, user_id=user_id, address=email))
    return found


def mark_read(notice: Notice) -> None:
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())


def acknowledge(notice: Notice, user) -> bool:
    """Read and acknowledged by ``user``; False when someone had already acknowledged it."""
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    return bool(
        Notice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=user
        )
    )


def may_acknowledge(user, notice: Notice) -> bool:
    """A recipient acknowledges a notice that asks for it, once."""
    return (
        notice.requires_acknowledgement
        and notice.acknowledged_at is None
        and notice.recipients.filter(user_id=user.pk).exists()
    )
