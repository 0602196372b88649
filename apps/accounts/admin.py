from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import FailedSignIn, SignInLock, SignInRecord, User
from .roles import Role
from .services import sync_staff_flag

# Rights beyond the four roles: only a superuser sees and grants them.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
# The fields of a role change, as its history entry names them.
ROLE_FIELDS = ("groups", "is_active", "is_staff", "is_superuser", "unit", "platform")


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning in English only (a string outside its catalogue).
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Linkage office"), {"fields": ("unit", "platform")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "unit",
        "platform",
        "is_staff",
        "is_active",
    )
    list_filter = ("groups", "is_staff", "is_active", "platform")
    list_select_related = ("unit__region",)
    autocomplete_fields = ("unit",)

    def get_queryset(self, request):
        # Staff manage the office's accounts, never a superuser's (its password included).
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (
                title,
                {
                    **opts,
                    "fields": [f for f in opts["fields"] if f not in SUPERUSER_ONLY_FIELDS],
                },
            )
            for title, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        # Admin access follows the role (services.sync_staff_flag), not a tick box.
        return ("is_staff", "last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            sync_staff_flag(form.instance)

    def construct_change_message(self, request, form, formsets, add=False):
        """The history entry of a role change says what it was before and after."""
        if add or not form.changed_data:
            return super().construct_change_message(request, form, formsets, add)
        changes = []
        for name in ROLE_FIELDS:
            if name not in form.changed_data:
                continue
            field = form.fields[name]
            changes.append(
                f"{field.label}：{_shown(field, form.initial.get(name))} → "
                f"{_shown(field, form.cleaned_data.get(name))}"
            )
        others = [n for n in form.changed_data if n not in ROLE_FIELDS]
        if others:
            changes.append(
                _gettext("Changed %(fields)s.")
                % {"fields": "、".join(str(form.fields[n].label) for n in others)}
            )
        return "；".join(changes)


def _shown(field, value):
    """A form field's value as staff read it in the history (names, not ids)."""
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        if hasattr(value, "all"):  # a queryset (cleaned data of a many-to-many field)
            value = list(value)
        elif value in (None, ""):
            value = []
        elif not isinstance(value, list | tuple):
            value = [value]
        ids = [getattr(v, "pk", v) for v in value]  # initial data holds ids, cleaned objects
        names = map(str, queryset.model._default_manager.filter(pk__in=ids))
        return "、".join(sorted(names)) or "—"
    if isinstance(value, bool):
        return _gettext("Yes") if value else _gettext("No")
    return str(value) if value not in (None, "") else "—"


# django-axes' admins, registered for the Chinese-named proxies (AXES_ENABLE_ADMIN is
# off). The clean-up action is mended: it reads request attributes that axes sets only on
# sign-in requests, so from the admin list it raised AttributeError (a 500). Deleting
# attempts also needs the delete right.
@admin.register(SignInLock)
class SignInLockAdmin(AxesAccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(n)d expired attempt cleaned up.", "%(n)d expired attempts cleaned up.", count
            )
            % {"n": count},
        )

    @admin.display(description=_("expires at"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return ngettext("%(n)d attempt left", "%(n)d attempts left", remaining) % {
                "n": remaining
            }
        return _("Locked out")


admin.site.register(FailedSignIn, AccessFailureLogAdmin)
admin.site.register(SignInRecord, AccessLogAdmin)
