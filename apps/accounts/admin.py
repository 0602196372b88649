from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
