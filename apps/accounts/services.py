from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from .models import User
from .roles import Role


def create_account(username, password, role: Role, *, unit=None, platform="", **fields):
    """Create (or reset) an account with exactly one role."""
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.unit, user.platform = unit, platform
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    sync_staff_flag(user)
    if role is Role.PLATFORM:
        Token.objects.get_or_create(user=user)
    return user


def sync_staff_flag(user: User) -> None:
    """Admin access follows the role: every role signs in to the admin but the platform
    client, which uses the API only. Superusers keep theirs."""
    if user.is_superuser:
        return
    roles = set(user.groups.values_list("name", flat=True))
    is_staff = bool(roles - {Role.PLATFORM.value})
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
