"""A call-taker looks up what the caller says, as they type, and picks the item."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.roles import Role
from apps.diversion.models import LookupChoice
from tests.factories import UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_looks_up_a_barking_dog_and_picks_the_item(page, screenshot):
    call_command("load_reference_data", stdout=io.StringIO())
    UserFactory(username="staff", role=Role.STAFF)

    login(page, "staff")
    page.click("text=查询分流事项")
    page.select_option("select[name=region]", label="乌恰县（653024）")
    page.locator("#lookup-q").press_sequentially("邻居家的狗半夜一直叫", delay=30)
    first = page.locator("tr.lookup-result").first
    first.wait_for()
    page.wait_for_function(
        "document.querySelector('tr.lookup-result') &&"
        " document.querySelector('tr.lookup-result').innerText.includes('饲养宠物')"
    )
    assert "住建局（乌恰县）" in first.inner_text()
    assert "110转12345" in first.inner_text()
    screenshot("lookup_page")

    first.locator("button", has_text="选用").click()
    page.wait_for_selector("#lookup-message.success")
    assert "审核" in page.inner_text("#lookup-message")
    choice = LookupChoice.objects.get()
    assert choice.words == "邻居家的狗半夜一直叫" and choice.item_code == "P2H-001"

    page.goto(reverse("admin:diversion_lookupchoice_changelist"))
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    choice.refresh_from_db()
    assert choice.review == "approved"
