from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "apps.core"
    verbose_name = "Core"


class OfficeAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the office's site (``apps.core.admin_site``)."""

    default = False  # listed by its path in INSTALLED_APPS, in place of django.contrib.admin
    default_site = "apps.core.admin_site.OfficeAdminSite"
