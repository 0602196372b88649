"""Each role against each admin page and action: allowed or denied."""

import pytest
from django.urls import reverse

from apps.directory.models import ContactConfirmationPolicy, ContactRole
from tests.factories import ContactFactory

ALLOW, DENY = "allow", "deny"
ROLES = ("staff", "liaison", "leader", "platform")

# page name -> expected outcome for (staff, liaison, leader, platform)
PAGES = {
    "unit_list": (ALLOW, ALLOW, ALLOW, DENY),
    "own_unit_change": (ALLOW, ALLOW, ALLOW, DENY),
    "other_unit_change": (ALLOW, DENY, ALLOW, DENY),
    "own_unit_history": (ALLOW, ALLOW, ALLOW, DENY),
    "unit_add": (ALLOW, DENY, DENY, DENY),
    "contact_list": (ALLOW, ALLOW, ALLOW, DENY),
    "contact_add": (ALLOW, ALLOW, DENY, DENY),
    "other_contact_change": (ALLOW, DENY, ALLOW, DENY),
    "own_contact_replace": (ALLOW, ALLOW, DENY, DENY),
    "other_contact_replace": (ALLOW, DENY, DENY, DENY),
    "region_list": (ALLOW, DENY, ALLOW, DENY),
    "region_add": (ALLOW, DENY, DENY, DENY),
    "user_list": (ALLOW, DENY, DENY, DENY),
    "policy_change": (ALLOW, DENY, DENY, DENY),
    "notice_inbox": (ALLOW, ALLOW, ALLOW, DENY),
    "diversion_lists": (ALLOW, ALLOW, ALLOW, DENY),
    "diversion_list_add": (ALLOW, DENY, DENY, DENY),
    "lookup_synonyms": (ALLOW, DENY, DENY, DENY),
    "tickets": (ALLOW, ALLOW, ALLOW, DENY),
    "supervision_notices": (ALLOW, ALLOW, ALLOW, DENY),
    "deadline_policies": (ALLOW, DENY, ALLOW, DENY),
    "supervision_policy": (ALLOW, DENY, ALLOW, DENY),
    "calendar_days": (ALLOW, DENY, ALLOW, DENY),
    "working_periods_add": (ALLOW, DENY, DENY, DENY),
}


@pytest.fixture
def pages(unit, other_unit):
    own = ContactFactory(unit=unit, role=ContactRole.LIAISON)
    other = ContactFactory(unit=other_unit, role=ContactRole.LIAISON)
    policy = ContactConfirmationPolicy.current()
    return {
        "unit_list": reverse("admin:directory_unit_changelist"),
        "own_unit_change": reverse("admin:directory_unit_change", args=[unit.pk]),
        "other_unit_change": reverse("admin:directory_unit_change", args=[other_unit.pk]),
        "own_unit_history": reverse("admin:directory_unit_history", args=[unit.pk]),
        "unit_add": reverse("admin:directory_unit_add"),
        "contact_list": reverse("admin:directory_contact_changelist"),
        "contact_add": reverse("admin:directory_contact_add"),
        "other_contact_change": reverse("admin:directory_contact_change", args=[other.pk]),
        "own_contact_replace": reverse("admin:directory_contact_replace", args=[own.pk]),
        "other_contact_replace": reverse("admin:directory_contact_replace", args=[other.pk]),
        "region_list": reverse("admin:directory_region_changelist"),
        "region_add": reverse("admin:directory_region_add"),
        "user_list": reverse("admin:accounts_user_changelist"),
        "policy_change": reverse(
            "admin:directory_contactconfirmationpolicy_change", args=[policy.pk]
        ),
        "notice_inbox": reverse("admin:notices_notice_changelist"),
        "diversion_lists": reverse("admin:diversion_diversionlist_changelist"),
        "diversion_list_add": reverse("admin:diversion_diversionlist_add"),
        "lookup_synonyms": reverse("admin:diversion_lookupsynonym_changelist"),
        "tickets": reverse("admin:tickets_ticket_changelist"),
        "supervision_notices": reverse("admin:tickets_supervisionnotice_changelist"),
        "deadline_policies": reverse("admin:tickets_deadlinepolicy_changelist"),
        "supervision_policy": reverse("admin:tickets_supervisionpolicy_changelist"),
        "calendar_days": reverse("admin:workcalendar_calendarday_changelist"),
        "working_periods_add": reverse("admin:workcalendar_workingperiod_add"),
    }


def outcome(response):
    return ALLOW if response.status_code == 200 else DENY


@pytest.mark.parametrize("page", PAGES)
def test_role_matrix(client, users, pages, page):
    got = {}
    for role in ROLES:
        client.force_login(users[role])
        got[role] = outcome(client.get(pages[page]))
    assert got == dict(zip(ROLES, PAGES[page], strict=True))


def test_leadership_sees_unit_read_only_and_cannot_save(client, users, unit):
    client.force_login(users["leader"])
    url = reverse("admin:directory_unit_change", args=[unit.pk])
    page = client.get(url)
    assert 'name="duty_phone"' not in page.content.decode()
    response = client.post(url, {"duty_phone": "0513-85098110", "change_reason": "x"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.duty_phone == ""


def test_liaison_can_edit_only_duty_phone_and_hotlines_of_own_unit(client, users, unit):
    client.force_login(users["liaison"])
    page = client.get(reverse("admin:directory_unit_change", args=[unit.pk])).content.decode()
    assert 'name="duty_phone"' in page and 'name="hotline_numbers"' in page
    assert 'name="name"' not in page and 'name="linkage_tier"' not in page


def test_liaison_cannot_post_to_another_units_confirm_button(client, users, other_unit):
    client.force_login(users["liaison"])
    response = client.post(reverse("admin:directory_unit_confirm_contacts", args=[other_unit.pk]))
    assert response.status_code == 404


def test_platform_client_has_no_admin_but_has_the_api(client, users):
    client.force_login(users["platform"])
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get("/api/v1/directory/units/").status_code == 200


def test_liaison_sees_other_units_in_public_directory_without_mobiles(client, users, other_unit):
    ContactFactory(
        unit=other_unit,
        role=ContactRole.LEADER,
        name="王局长",
        mobile="13811112222",
        office_phone="0513-85090000",
    )
    client.force_login(users["liaison"])
    page = client.get(reverse("directory")).content.decode()
    assert "王局长" in page and "0513-85090000" in page
    assert "13811112222" not in page
    api = client.get("/api/v1/directory/units/").json()
    assert "13811112222" not in str(api)
    assert any(c["name"] == "王局长" for u in api["results"] for c in u["contacts"])
