from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.timestamps import local_minute

from .roles import Role


class Platform(models.TextChoices):
    HOTLINE = "12345", _("12345 government-service hotline")
    POLICE = "110", _("110 police service desk")


class User(AbstractUser):
    """A person or a platform client.

    A liaison is bound to one unit; a platform client to one platform (its API token
    speaks for that platform).
    """

    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        help_text=_("For liaisons: the one unit whose data this account maintains."),
    )
    platform = models.CharField(
        _("platform"),
        max_length=8,
        choices=Platform.choices,
        blank=True,
        help_text=_("For platform clients: the platform this account's API token speaks for."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, role: Role) -> bool:
        # Cached per request object: role checks run many times while rendering the admin.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role.value in self._role_names

    @property
    def is_command_staff(self) -> bool:
        return self.is_superuser or self.has_role(Role.STAFF)

    @property
    def is_liaison(self) -> bool:
        return self.has_role(Role.LIAISON) and self.unit_id is not None

    @property
    def is_leadership(self) -> bool:
        return self.has_role(Role.LEADERSHIP)


# django-axes' records, as staff see them in the admin: named and described in their
# language (axes' own ``__str__`` is English), the same rows and tables.
class SignInDescription:
    """Who, from where, when."""

    description = _("%(username)s from %(address)s at %(at)s")

    def __str__(self):
        return self.description % {
            "username": self.username or "—",
            "address": self.ip_address or "—",
            "at": local_minute(self.attempt_time),
        }


class SignInLock(SignInDescription, AccessAttempt):
    """Failed sign-ins counted for an account and address; past the limit, a lock-out.
    Deleting one unlocks that account or address."""

    description = _("%(username)s from %(address)s since %(at)s")

    class Meta:
        proxy = True
        verbose_name = _("failed sign-in count")
        verbose_name_plural = _("failed sign-in counts")


class FailedSignIn(SignInDescription, AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")


class SignInRecord(SignInDescription, AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("sign-in record")
        verbose_name_plural = _("sign-in records")
