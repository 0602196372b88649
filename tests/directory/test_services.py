from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.directory import services
from apps.directory.models import Contact, ContactConfirmationPolicy, ContactRole, Region, Unit
from apps.notices.models import Notice
from tests.factories import ContactFactory, UnitFactory


def test_duplicate_unit_name_in_region_is_refused(unit):
    dup = Unit(region=unit.region, name=unit.name)
    with pytest.raises(ValidationError) as exc:
        services.save_unit(dup, changed_by=None, reason="test")
    assert "该行政区划内已有同名单位" in str(exc.value)
    assert Unit.objects.filter(name=unit.name).count() == 1


def test_same_unit_name_in_another_region_is_fine(unit):
    other = Region.objects.create(name="晋城市", division_code="140500", level="city")
    services.save_unit(Unit(region=other, name=unit.name), changed_by=None, reason="test")
    assert Unit.objects.filter(name=unit.name).count() == 2


def test_credit_code_with_wrong_check_character_is_not_saved(unit):
    unit.credit_code = "91350100M000100Y44"
    with pytest.raises(ValidationError) as exc:
        services.save_unit(unit, changed_by=None, reason="test")
    assert "credit_code" in exc.value.message_dict
    unit.refresh_from_db()
    assert unit.credit_code == ""


def test_second_current_liaison_is_refused_with_a_specific_message(unit):
    ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    with pytest.raises(ValidationError) as exc:
        services.save_contact(
            Contact(unit=unit, role=ContactRole.LIAISON, name="李四"),
            changed_by=None,
            reason="test",
        )
    assert "请使用“更换人员”" in str(exc.value)
    assert unit.contacts.current().filter(role=ContactRole.LIAISON).count() == 1


def test_database_itself_refuses_two_current_leaders(unit):
    ContactFactory(unit=unit, role=ContactRole.LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(unit=unit, role=ContactRole.LEADER, name="另一人")


def test_several_duty_officers_are_allowed(unit):
    ContactFactory(unit=unit, role=ContactRole.DUTY)
    services.save_contact(
        Contact(unit=unit, role=ContactRole.DUTY, name="值班2"), changed_by=None, reason="test"
    )
    assert unit.contacts.current().filter(role=ContactRole.DUTY).count() == 2


def test_replacing_a_liaison_keeps_the_old_one_on_record(unit, staff_user):
    old = ContactFactory(
        unit=unit,
        role=ContactRole.LIAISON,
        name="张三",
        valid_from=timezone.localdate() - timedelta(days=400),
    )
    new = services.replace_contact(
        old,
        Contact(name="李四", mobile="13900001111"),
        changed_by=staff_user,
        reason="原联络员调岗",
    )
    old.refresh_from_db()
    assert old.valid_to == timezone.localdate()
    assert new.is_current and new.role == ContactRole.LIAISON and new.unit == unit
    assert unit.current_contact(ContactRole.LIAISON) == new
    assert list(unit.contacts.order_by("valid_from").values_list("name", flat=True)) == [
        "张三",
        "李四",
    ]
    assert old.history.first().history_change_reason == "原联络员调岗"
    assert old.history.first().history_user == staff_user


def test_replacing_an_ended_contact_is_refused(unit):
    old = ContactFactory(unit=unit, role=ContactRole.LIAISON, valid_to=timezone.localdate())
    with pytest.raises(ValidationError):
        services.replace_contact(old, Contact(name="李四"), changed_by=None, reason="x")


def test_unit_history_records_before_and_after(unit, staff_user):
    unit.duty_phone = "0513-85098110"
    services.save_unit(unit, changed_by=staff_user, reason="值班电话变更")
    latest, previous = unit.history.all()[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("duty_phone", "", "0513-85098110")]
    assert latest.history_change_reason == "值班电话变更"


def test_stale_units_follow_the_editable_policy(unit, other_unit):
    now = timezone.now()
    ContactFactory(unit=unit, role=ContactRole.LIAISON, last_confirmed_at=now - timedelta(days=100))
    ContactFactory(
        unit=other_unit, role=ContactRole.LIAISON, last_confirmed_at=now - timedelta(days=10)
    )
    assert list(Unit.objects.stale()) == [unit]
    policy = ContactConfirmationPolicy.current()
    policy.confirm_every_days = 5
    policy.save()
    assert set(Unit.objects.stale()) == {unit, other_unit}


def test_unit_without_contacts_is_stale(unit):
    assert unit in Unit.objects.stale()


def test_confirming_contacts_clears_the_flag(unit, liaison_user):
    ContactFactory(
        unit=unit, role=ContactRole.LIAISON, last_confirmed_at=timezone.now() - timedelta(days=100)
    )
    assert unit in Unit.objects.stale()
    assert services.confirm_unit_contacts(unit, confirmed_by=liaison_user) == 1
    assert unit not in Unit.objects.stale()


def test_reminder_goes_to_liaison_once_per_period(
    unit, liaison_user, django_capture_on_commit_callbacks
):
    liaison_user.email = "liaison@example.com"
    liaison_user.save()
    ContactFactory(
        unit=unit,
        role=ContactRole.LIAISON,
        email="zhang@example.com",
        last_confirmed_at=timezone.now() - timedelta(days=100),
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_stale_unit(unit.pk, now=now) is True
    assert services.remind_stale_unit(unit.pk, now=now + timedelta(days=1)) is False
    notice = Notice.objects.get()
    assert list(Notice.objects.for_user(liaison_user)) == [notice]  # in the inbox
    assert notice.addressed_to == unit.label and notice.delivered_at is not None
    # One message per address: the liaison's account and the liaison contact.
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison@example.com", "zhang@example.com"]
    # A new period: reminded again.
    assert services.remind_stale_unit(unit.pk, now=now + timedelta(days=91)) is True
    assert Notice.objects.count() == 2


def test_beat_task_reminds_only_stale_units(unit, other_unit, liaison_user):
    from apps.directory.tasks import remind_stale_contacts

    ContactFactory(unit=other_unit, role=ContactRole.LIAISON)  # just confirmed
    assert remind_stale_contacts() == 1
    assert Notice.objects.for_user(liaison_user).count() == 1
    assert Notice.objects.get().addressed_to == unit.label
    assert remind_stale_contacts() == 0


@pytest.mark.django_db
def test_units_visible_to_each_role(unit, other_unit, users):
    assert set(Unit.objects.visible_to(users["staff"])) == {unit, other_unit}
    assert set(Unit.objects.visible_to(users["leader"])) == {unit, other_unit}
    assert list(Unit.objects.visible_to(users["liaison"])) == [unit]
    assert list(Unit.objects.visible_to(users["platform"])) == []


def test_region_codes_must_fit_level_and_parent(db):
    province = Region.objects.create(name="江苏省", division_code="320000", level="province")
    bad_level = Region(name="南通市", division_code="320601", level="city", parent=province)
    with pytest.raises(ValidationError) as exc:
        bad_level.full_clean()
    assert "以 00 结尾且不以 0000 结尾" in str(exc.value)
    wrong_parent = Region(name="晋城市", division_code="140500", level="city", parent=province)
    with pytest.raises(ValidationError) as exc:
        wrong_parent.full_clean()
    assert "parent" in exc.value.message_dict


def test_unit_factory_builds_valid_units(db):
    UnitFactory().full_clean()


def test_unit_timeline_shows_unit_and_contact_changes_with_reasons(unit, staff_user):
    from apps.directory.selectors import unit_change_timeline

    old = ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    unit.duty_phone = "0513-85098110"
    services.save_unit(unit, changed_by=staff_user, reason="值班电话调整")
    services.replace_contact(old, Contact(name="李四"), changed_by=staff_user, reason="调岗")
    timeline = unit_change_timeline(unit)
    reasons = [e["reason"] for e in timeline]
    assert reasons[:3] == ["调岗", "调岗", "值班电话调整"]
    phone_change = timeline[2]["changes"]
    assert [change[1:] for change in phone_change] == [("—", "0513-85098110")]
    ended = next(e for e in timeline if e["object"].name == "张三" and e["changes"])
    assert any(new == timezone.localdate() for _, _, new in ended["changes"])
