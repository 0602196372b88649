from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "apps.core"
    verbose_name = "Core"

    def ready(self):
        # The embedded defaults' directories (SQLite, the filesystem broker, static
        # files), made when a process starts Django rather than when settings are read.
        for directory in settings.LOCAL_DIRS:
            Path(directory).mkdir(parents=True, exist_ok=True)


class OfficeAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the office's site (``apps.core.admin_site``)."""

    default = False  # listed by its path in INSTALLED_APPS, in place of django.contrib.admin
    default_site = "apps.core.admin_site.OfficeAdminSite"
