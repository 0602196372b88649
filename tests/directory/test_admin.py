"""Bad input through the admin is refused with a specific message and nothing is saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.directory.models import Contact, ContactRole, Region, Unit
from tests.admin_forms import form_data
from tests.factories import ContactFactory, UnitFactory


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def change_unit(client, unit, **changes):
    url = reverse("admin:directory_unit_change", args=[unit.pk])
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def errors_of(response):
    return str(response.context["adminform"].form.errors) + str(response.context.get("errors", ""))


def test_change_without_reason_is_refused(staff_client, unit):
    response = change_unit(staff_client, unit, duty_phone="0513-85098110", change_reason="")
    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.duty_phone == ""


def test_change_with_reason_is_saved_and_shown_in_history(staff_client, unit):
    response = change_unit(
        staff_client, unit, duty_phone="0513-85098110", change_reason="值班电话调整"
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.duty_phone == "0513-85098110"
    history = staff_client.get(reverse("admin:directory_unit_history", args=[unit.pk]))
    page = history.content.decode()
    assert "值班电话调整" in page and "0513-85098110" in page


def test_bad_credit_code_in_admin(staff_client, unit):
    response = change_unit(
        staff_client, unit, credit_code="91350100M000100Y44", change_reason="补录信用代码"
    )
    assert response.status_code == 200
    assert "“3”" in errors_of(response)
    assert Unit.objects.get(pk=unit.pk).credit_code == ""


def test_duplicate_unit_name_in_admin(staff_client, unit, other_unit):
    response = change_unit(staff_client, other_unit, name=unit.name, change_reason="改名")
    assert response.status_code == 200
    assert "该行政区划内已有同名单位" in errors_of(response)
    assert Unit.objects.get(pk=other_unit.pk).name == "市城管局"


def test_invalid_division_code_in_admin(staff_client):
    response = staff_client.post(
        reverse("admin:directory_region_add"),
        {"name": "某市", "division_code": "3206", "level": "city"},
    )
    assert response.status_code == 200
    assert "必须是6位数字" in str(response.context["adminform"].form.errors["division_code"])
    assert not Region.objects.exists()


def test_malformed_mobile_in_inline_is_refused_and_nothing_saved(staff_client, unit):
    url = reverse("admin:directory_unit_change", args=[unit.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "duty_phone": "0513-85098110",
            "change_reason": "新增联络员",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-role": "liaison",
            "contacts-0-name": "张三",
            "contacts-0-mobile": "1381234567",
            "contacts-0-valid_from": "2026-01-01",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "1381234567" in str(response.context["inline_admin_formsets"][0].formset.errors)
    unit.refresh_from_db()
    assert unit.duty_phone == "" and not Contact.objects.exists()


def test_two_current_liaisons_in_admin_are_refused(staff_client, unit):
    ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    response = staff_client.post(
        reverse("admin:directory_contact_add"),
        {
            "unit": unit.pk,
            "role": "liaison",
            "name": "李四",
            "valid_from": "2026-01-01",
            "change_reason": "新增",
        },
    )
    assert response.status_code == 200
    assert "请使用“更换人员”" in str(response.context["adminform"].form.errors)
    assert unit.contacts.filter(role="liaison").count() == 1


def test_replace_view_ends_old_and_starts_new(client, liaison_user, unit):
    old = ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    client.force_login(liaison_user)
    response = client.post(
        reverse("admin:directory_contact_replace", args=[old.pk]),
        {"name": "李四", "mobile": "13900001111", "change_reason": "原联络员调岗"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.valid_to is not None
    assert unit.current_contact(ContactRole.LIAISON).name == "李四"


def test_replace_view_refuses_bad_mobile(client, liaison_user, unit):
    old = ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    client.force_login(liaison_user)
    response = client.post(
        reverse("admin:directory_contact_replace", args=[old.pk]),
        {"name": "李四", "mobile": "12345", "change_reason": "调岗"},
    )
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors
    old.refresh_from_db()
    assert old.valid_to is None


def test_stale_units_stand_out_in_the_list(staff_client, unit):
    page = staff_client.get(reverse("admin:directory_unit_changelist")).content.decode()
    assert "stale-contacts" in page
    filtered = staff_client.get(reverse("admin:directory_unit_changelist") + "?contacts=stale")
    assert unit.name in filtered.content.decode()


def test_confirm_button_confirms_contacts(client, liaison_user, unit):
    ContactFactory(unit=unit, role=ContactRole.LIAISON)
    Contact.objects.update(last_confirmed_at="2020-01-01T00:00:00Z")
    client.force_login(liaison_user)
    response = client.post(reverse("admin:directory_unit_confirm_contacts", args=[unit.pk]))
    assert response.status_code == 302
    assert unit not in Unit.objects.stale()


def test_unit_list_queries_do_not_grow_with_the_rows(client, staff_user, region):
    client.force_login(staff_user)
    url = reverse("admin:directory_unit_changelist")

    def queries_with(units):
        for _n in range(units):
            ContactFactory(unit=UnitFactory(region=region), role="liaison")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(captured)

    few = queries_with(3)
    assert queries_with(30) == few
