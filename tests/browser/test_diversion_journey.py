"""Staff revise 南通's list: new version, edit one item, add one, publish, review, look up."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.roles import Role
from apps.diversion.models import DiversionList
from tests.factories import UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_revises_and_publishes_nantong_list(page, screenshot):
    call_command("load_reference_data", stdout=io.StringIO())
    UserFactory(username="staff", role=Role.STAFF)
    nantong = DiversionList.objects.get(region__division_code="320600")

    login(page, "staff")
    page.goto(reverse("admin:diversion_diversionlist_change", args=[nantong.pk]))
    page.click("button.new-version-button")
    page.wait_for_selector(".messagelist .success")
    draft_url = page.url

    page.click("text=编辑事项")
    page.click("a:has-text('H2P-011')")
    page.fill(
        "textarea[name=matter]", "对犬证办理、无证养犬、遛犬不牵绳、犬只扰民等问题的举报、投诉"
    )
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.click(".object-tools a.addlink")
    page.select_option("select[name=direction]", "police_to_hotline")
    page.fill("input[name=category]", "公共设施类")
    page.fill("input[name=subcategory]", "共享单车乱停放")
    page.fill("textarea[name=matter]", "共享单车乱停乱放、占用盲道的投诉")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(draft_url)
    page.click("a.publish-button")
    page.fill("textarea[name=change_note]", "新增共享单车乱停放，调整犬只扰民")
    screenshot("diversion_publish_confirm")
    page.click("input.confirm-publish")
    page.wait_for_selector(".messagelist .success")
    assert "已发布并生效" in page.inner_text(".messagelist")

    page.click("text=版本对比")
    page.wait_for_selector("table.diff")
    assert page.locator("tr.diff-added").count() == 1
    assert page.locator("tr.diff-changed").count() == 1
    assert page.locator("tr.diff-removed").count() == 0
    assert "P2H-069" in page.inner_text("tr.diff-added")
    assert "犬只扰民" in page.inner_text("tr.diff-changed")
    screenshot("diversion_diff")

    answer = page.request.get("/api/v1/diversion/lookup?region=320600&q=共享单车停在盲道上").json()
    assert answer["list"]["version"] == nantong.version + 1
    assert answer["results"][0]["item"]["item_code"] == "P2H-069"
