from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from .models import User
from .roles import Role


def create_account(username, password, role: Role, *, unit=None, platform="", **fields):
    """Create (or reset) an account with exactly one role."""
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = role is not Role.PLATFORM  # platform clients use the API only
    user.unit, user.platform = unit, platform
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    if role is Role.PLATFORM:
        Token.objects.get_or_create(user=user)
    return user
