"""A liaison keeps the own unit current; another unit's liaison cannot touch it."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.directory.models import ContactRole
from tests.factories import ContactFactory, UnitFactory, UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_liaison_updates_duty_phone_and_replaces_liaison(page, screenshot):
    unit = UnitFactory(name="市住建局")
    other = UnitFactory(region=unit.region, name="市城管局")
    ContactFactory(unit=unit, role=ContactRole.LIAISON, name="张三")
    UserFactory(username="zhujian", role=Role.LIAISON, unit=unit)
    UserFactory(username="chengguan", role=Role.LIAISON, unit=other)
    change_url = reverse("admin:directory_unit_change", args=[unit.pk])

    login(page, "zhujian")
    page.goto(change_url)
    page.fill("input[name=duty_phone]", "0513-85098110")
    page.fill("input[name=change_reason]", "值班电话调整")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.input_value("input[name=duty_phone]") == "0513-85098110"

    page.click("a:has-text('更换人员')")
    page.fill("input[name=name]", "李四")
    page.fill("input[name=mobile]", "13900001111")
    page.fill("input[name=change_reason]", "原联络员调岗")
    page.click("input[name=_replace]")
    page.wait_for_url(f"**{change_url}")
    assert page.input_value("input[name=contacts-0-name]") == "李四"
    assert "张三" in page.inner_text("#contacts-2-group")

    page.goto(reverse("admin:directory_unit_history", args=[unit.pk]))
    reasons = page.locator(".history-reason").all_inner_texts()
    assert "值班电话调整" in reasons and "原联络员调岗" in reasons
    history = page.inner_text("#change-history")
    assert "0513-85098110" in history and "李四" in history
    screenshot("liaison_unit_history")

    page.context.clear_cookies()
    login(page, "chengguan")
    page.goto(change_url)
    # The admin treats another unit as non-existent for this liaison: back to the index.
    assert page.url.endswith("/admin/")
    assert "不存在" in page.inner_text(".messagelist")
    assert page.locator("input[name=duty_phone]").count() == 0
    screenshot("other_liaison_denied")
