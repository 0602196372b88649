from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "apps.disputes"
    verbose_name = _("Disputes and joint meetings")
