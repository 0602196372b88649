"""Each role's home page and main pages at 1,366 px: figures shown, nothing off screen."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.directory.models import ContactRole
from apps.tickets.ingest import ingest
from tests.factories import ContactFactory, RegionFactory, UnitFactory, UserFactory

from .conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Neither the page nor a list's table (which scrolls in its own box) runs off screen.
NO_SIDEWAYS_SCROLL = """
    document.documentElement.scrollWidth <= window.innerWidth
    && [...document.querySelectorAll('#changelist .results, .inline-group .tabular')]
        .every(box => box.scrollWidth <= box.clientWidth)
"""


def test_home_and_main_pages_fit_1366_px(page, screenshot):
    region = RegionFactory()
    police = UnitFactory(region=region, name="市公安局", linkage_tier=1)
    ContactFactory(unit=police, role=ContactRole.LIAISON, name="王联络", email="w@example.com")
    tickets = []
    for n in range(3):
        (result,) = ingest(
            [
                {
                    "external_id": f"GD2026120100{n}",
                    "region": region.division_code,
                    "received_at": timezone.now(),
                    "channel": "phone",
                    "transfer_method": "one_key",
                    "urgency": "urgent",
                    "unit": police.pk,
                    "summary": "小区门口有人长时间占道经营，影响通行，请尽快处理",
                    "caller_phone": "13812345678",
                    "needs_on_site": None,
                    "restriction": "",
                }
            ],
            platform="12345",
        )
        tickets.append(result.ticket)
    UserFactory(username="staff", role=Role.STAFF)
    UserFactory(username="police", role=Role.LIAISON, unit=police)
    UserFactory(username="leader", role=Role.LEADERSHIP)
    page.set_viewport_size({"width": 1366, "height": 768})
    pages = {
        "staff": [
            reverse("admin:index"),
            reverse("admin:tickets_ticket_changelist"),
            reverse("admin:diversion_lookupchoice_lookup"),
        ],
        "police": [
            reverse("admin:index"),
            reverse("admin:tickets_ticket_changelist"),
            reverse("admin:directory_unit_change", args=[police.pk]),
            reverse("admin:tickets_ticket_change", args=[tickets[0].pk]),
        ],
        "leader": [reverse("admin:index"), reverse("admin:tickets_ticket_changelist")],
    }
    for username, urls in pages.items():
        page.context.clear_cookies()
        login(page, username)
        for number, url in enumerate(urls):
            page.goto(url)
            screenshot(f"home_{username}_{number}")
            widths = page.evaluate(
                "[...document.querySelectorAll('#changelist .results')]"
                ".map(b => [b.scrollWidth, b.clientWidth])"
            )
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{username} {url} scrolls sideways {widths}"
        page.goto(reverse("admin:index"))
        assert page.locator(".home-figure").count() >= 4, username
    assert "3" in page.locator(".home-figure").first.inner_text()  # the leader: 3 to sign
