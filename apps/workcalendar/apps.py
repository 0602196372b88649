from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "apps.workcalendar"
    verbose_name = _("Working calendar")
