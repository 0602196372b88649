"""Reads of the directory: who receives a unit's notices."""

from apps.directory.models import ContactRole
from apps.directory.selectors import notice_recipients
from apps.notices.models import Channel
from apps.notices.services import Recipient
from tests.factories import ContactFactory


def test_notice_recipients_per_unit(unit, other_unit, liaison_user):
    liaison_user.email = "account@example.com"
    liaison_user.save()
    ContactFactory(unit=unit, role=ContactRole.LIAISON, email="account@example.com")
    ContactFactory(unit=unit, role=ContactRole.LEADER, email="leader@example.com")
    found = notice_recipients([unit.pk, other_unit.pk])
    assert found[unit.pk] == [
        Recipient(channel=Channel.IN_APP, user_id=liaison_user.pk),
        Recipient(channel=Channel.EMAIL, user_id=liaison_user.pk, address="account@example.com"),
    ]  # the liaison contact's address is the account's: once
    assert other_unit.pk not in found  # nobody: its notices are undeliverable
    escalation = notice_recipients([unit.pk], leaders=True)[unit.pk]
    assert Recipient(channel=Channel.EMAIL, address="leader@example.com") in escalation
