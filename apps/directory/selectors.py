"""Reads of the directory."""

from itertools import groupby

from django.db.models import Prefetch, Q

from apps.accounts.models import User
from apps.notices.models import Channel
from apps.notices.services import Recipient

from .models import Contact, ContactRole, Unit


def public_directory(region=None):
    """Active units with their current leader and liaison, as everyone may see them.

    Mobile numbers are not part of the public directory; callers render only the fields
    of ``PUBLIC_CONTACT_FIELDS``.
    """
    units = (
        Unit.objects.active()
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.current()
                .filter(role__in=[ContactRole.LEADER, ContactRole.LIAISON])
                .only("unit_id", "role", "name", "position", "office_phone"),
                to_attr="public_contacts",
            )
        )
    )
    if region is not None:
        units = units.filter(Q(region=region) | Q(region__parent=region))
    return units.order_by("region__division_code", "linkage_tier", "name")


PUBLIC_CONTACT_FIELDS = ("role", "name", "position", "office_phone")


def _changes(record, previous):
    """(field label, before, after) for every field a history record changed."""
    if previous is None:
        return []
    model = record.instance_type
    delta = record.diff_against(previous)
    return [
        (
            model._meta.get_field(c.field).verbose_name,
            c.old if c.old not in (None, "") else "—",
            c.new if c.new not in (None, "") else "—",
        )
        for c in delta.changes
    ]


def unit_change_timeline(unit):
    """Every recorded change of a unit and of its contacts, newest first."""
    order = ("history_date", "history_id")
    histories = [list(unit.history.select_related("history_user").order_by(*order))]
    contact_records = Contact.history.filter(unit_id=unit.pk).select_related("history_user")
    histories += [
        list(records)
        for _, records in groupby(contact_records.order_by("id", *order), key=lambda r: r.id)
    ]
    entries = [
        {
            "at": record.history_date,
            "who": record.history_user,
            "object": record.instance,
            "type": record.get_history_type_display(),
            "reason": record.history_change_reason or "",
            "changes": _changes(record, previous),
        }
        for records in histories
        for previous, record in zip([None, *records], records, strict=False)
    ]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def notice_recipients(unit_ids, *, leaders: bool = False) -> dict[int, list[Recipient]]:
    """Who receives a unit's notices, per unit: the inbox and email of each active
    account of the unit, the email of its current liaison, and with ``leaders`` that of
    its leader in charge (escalations). Two queries for any number of units; a unit
    missing from the answer has nobody to receive its notices."""
    found = {}
    for unit_id, user_id, email in User.objects.filter(
        unit_id__in=unit_ids, is_active=True
    ).values_list("unit_id", "pk", "email"):
        found.setdefault(unit_id, []).append(Recipient(channel=Channel.IN_APP, user_id=user_id))
        if email:
            found[unit_id].append(Recipient(channel=Channel.EMAIL, user_id=user_id, address=email))
    roles = [ContactRole.LIAISON, ContactRole.LEADER] if leaders else [ContactRole.LIAISON]
    for unit_id, email in (
        Contact.objects.current()
        .filter(unit_id__in=unit_ids, role__in=roles)
        .exclude(email="")
        .values_list("unit_id", "email")
    ):
        mine = found.setdefault(unit_id, [])
        if not any(r.address == email for r in mine):  # an account with the same address
            mine.append(Recipient(channel=Channel.EMAIL, address=email))
    return found
