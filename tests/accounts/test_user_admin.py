"""Staff manage accounts within the four roles; only a superuser grants more."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from apps.accounts.roles import Role
from tests.admin_forms import form_data
from tests.factories import UserFactory


def _change(client, user, **changes):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_staff_cannot_make_anyone_superuser_or_grant_permissions(client, users):
    staff = users["staff"]
    client.force_login(staff)
    page = client.get(reverse("admin:accounts_user_change", args=[staff.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    permission = Permission.objects.get(codename="view_token")
    response = _change(
        client, staff, is_superuser="on", user_permissions=[str(permission.pk)], is_staff="on"
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_superuser and not staff.user_permissions.exists()


def test_staff_assign_only_the_four_roles(client, users):
    outsider = Group.objects.create(name="超级权限组")
    outsider.permissions.set(Permission.objects.all())
    client.force_login(users["staff"])
    leader = users["leader"]
    response = _change(client, leader, groups=[str(outsider.pk)])
    assert response.status_code == 200  # the form says the choice is not valid
    assert not leader.groups.filter(pk=outsider.pk).exists()


def test_admin_access_follows_the_role(client, users):
    client.force_login(users["staff"])
    leader = users["leader"]
    platform_group = Group.objects.get(name=Role.PLATFORM.value)
    assert _change(client, leader, groups=[str(platform_group.pk)]).status_code == 302
    leader.refresh_from_db()
    assert not leader.is_staff  # a platform client uses the API only


def test_staff_never_see_a_superusers_account_or_tokens(client, users):
    root = User.objects.create_superuser("root", password="pw-root-1234")
    token = Token.objects.create(user=users["platform"])
    client.force_login(users["staff"])
    assert client.get(reverse("admin:accounts_user_change", args=[root.pk])).status_code == 302
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert (
        client.post(password, {"password1": "x-Pass-9876", "password2": "x-Pass-9876"}).status_code
        == 404
    )
    root.refresh_from_db()
    assert root.check_password("pw-root-1234")
    listed = client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list
    assert root not in listed
    tokens = reverse("admin:authtoken_tokenproxy_changelist")
    assert client.get(tokens).status_code == 403
    assert token.key not in client.get(reverse("admin:index")).content.decode()


def test_every_role_change_is_in_the_users_history(client, users):
    staff, leader = users["staff"], users["leader"]
    client.force_login(staff)
    liaison_group = Group.objects.get(name=Role.LIAISON.value)
    _change(client, leader, groups=[str(liaison_group.pk)], platform="110")
    entry = LogEntry.objects.filter(object_id=str(leader.pk)).latest("action_time")
    assert entry.user == staff
    message = entry.get_change_message()
    assert f"{Role.LEADERSHIP.value} → {Role.LIAISON.value}" in message
    history = client.get(reverse("admin:accounts_user_history", args=[leader.pk]))
    assert f"{Role.LEADERSHIP.value} → {Role.LIAISON.value}" in history.content.decode()


@pytest.mark.parametrize("role", ["liaison", "leader"])
def test_other_roles_cannot_reach_users(client, users, role):
    client.force_login(users[role])
    target = UserFactory(username="victim")
    assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code == 403


def test_a_unit_change_is_logged_by_name(client, users, unit):
    client.force_login(users["staff"])
    _change(client, users["leader"], unit=str(unit.pk))
    entry = LogEntry.objects.filter(object_id=str(users["leader"].pk)).latest("action_time")
    assert f"— → {unit}" in entry.get_change_message()
