from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "apps.disputes"
    verbose_name = _("Disputes and joint meetings")

    def ready(self):
        from apps.diversion.signals import list_published
        from apps.tickets import flags

        from .implementation import implemented_by
        from .selectors import ticket_flags

        list_published.connect(implemented_by, dispatch_uid="disputes_implemented_by")
        flags.register(ticket_flags)
