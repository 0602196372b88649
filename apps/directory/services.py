"""Writes to the directory. Every change records who made it and why (simple_history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue

from .models import Contact, ContactConfirmationPolicy, Unit
from .selectors import notice_recipients


def _save(instance, *, changed_by, reason):
    """Validate and save one directory record with its history entry."""
    instance.full_clean()
    instance._history_user = changed_by
    instance._change_reason = reason
    instance.save()
    return instance


def save_unit(unit: Unit, *, changed_by, reason: str) -> Unit:
    return _save(unit, changed_by=changed_by, reason=reason)


def save_contact(contact: Contact, *, changed_by, reason: str) -> Contact:
    if contact._state.adding:
        contact.last_confirmed_at = timezone.now()
    return _save(contact, changed_by=changed_by, reason=reason)


@transaction.atomic
def replace_contact(old: Contact, new: Contact, *, changed_by, reason: str) -> Contact:
    """End ``old`` today and make ``new`` the current holder of the same role.

    The old contact stays on record with its validity period, so the office can always
    tell who was liaison on a given day.
    """
    old = Contact.objects.select_for_update().get(pk=old.pk)
    if not old.is_current:
        raise ValidationError(
            _("%(name)s already left this role on %(date)s.")
            % {"name": old.name, "date": old.valid_to}
        )
    today = timezone.localdate()
    old.valid_to = today
    _save(old, changed_by=changed_by, reason=reason)
    new.unit_id, new.role, new.valid_from, new.valid_to = old.unit_id, old.role, today, None
    return save_contact(new, changed_by=changed_by, reason=reason)


@transaction.atomic
def confirm_unit_contacts(unit: Unit, *, confirmed_by) -> int:
    """The liaison's one click: every current contact of the unit is still right."""
    now = timezone.now()
    contacts = list(unit.contacts.current())
    for contact in contacts:
        contact.last_confirmed_at = now
        contact._history_user = confirmed_by
        contact._change_reason = _("Contacts confirmed as current")
        contact.save(update_fields=["last_confirmed_at"])
    return len(contacts)


def remind_stale_unit(unit_id: int, *, now=None) -> bool:
    """Remind one stale unit's liaison, at most once per confirmation period.

    The reminder is claimed by a conditional UPDATE, so two workers (or a retried task)
    never send it twice. Returns whether this call sent it.
    """
    now = now or timezone.now()
    period = timezone.timedelta(days=ContactConfirmationPolicy.current().confirm_every_days)
    claimed = Unit.objects.filter(
        Q(contacts_reminded_at__isnull=True) | Q(contacts_reminded_at__lte=now - period),
        pk=unit_id,
    ).update(contacts_reminded_at=now)
    if not claimed:
        return False
    unit = Unit.objects.select_related("region").get(pk=unit_id)
    title = _("Please confirm the contacts of %(unit)s") % {"unit": unit.label}
    body = _(
        "The contacts of %(unit)s have not been confirmed for %(days)d days. Please check the "
        "leader in charge, the liaison and the duty phone, correct what changed and click "
        "“Confirm contacts are current”."
    ) % {"unit": unit.label, "days": period.days}
    issue(
        Draft(
            kind=NoticeKind.CONTACT_REMINDER,
            title=title,
            body=body,
            recipients=notice_recipients([unit.pk]).get(unit.pk, []),
            addressed_to=unit.label,
            link=reverse("admin:directory_unit_change", args=[unit.pk]),
        ),
        now=now,
    )
    return True
