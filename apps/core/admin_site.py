"""The office's admin site: rules every admin page follows, whoever registered it.

Third-party admins (users, groups, tokens, Celery Beat schedules) are registered through
this site too, so the rules hold for pages the project did not write.
"""

from functools import cache

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ChangeList
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class DeclaredFiltersChangeList(ChangeList):
    """Filters a list only by the filters it declares (``list_filter``, ``date_hierarchy``).

    Django's own changelist turns any other query parameter that names a field into a
    ``filter()``: ``?caller_phone__startswith=138`` would let someone who sees only masked
    numbers recover them digit by digit. Here such a parameter is refused (400).
    """

    def get_filters(self, request):
        specs, has_filters, remaining, may_have_duplicates, active = super().get_filters(request)
        # A declared field filter may also be named bare (``?kind=workday`` for the
        # ``kind`` filter's ``kind__exact``); the date hierarchy leaves its bounds.
        declared = {
            (spec[0] if isinstance(spec, (tuple, list)) else spec)
            for spec in self.list_filter
            if isinstance(spec, (str, tuple, list))
        }
        if self.date_hierarchy:
            declared |= {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        undeclared = sorted(set(remaining) - declared)
        if undeclared:
            raise DisallowedModelAdminLookup(
                "Filtering by %s is not offered on this list." % ", ".join(undeclared)
            )
        return specs, has_filters, remaining, may_have_duplicates, active


@cache
def _declared_filters_only(changelist_class):
    if issubclass(changelist_class, DeclaredFiltersChangeList):
        return changelist_class
    return type(changelist_class.__name__, (DeclaredFiltersChangeList, changelist_class), {})


class DeclaredFiltersOnly:
    """Mixed into every admin registered on the office's site."""

    def get_changelist(self, request, **kwargs):
        return _declared_filters_only(super().get_changelist(request, **kwargs))


class OfficeAdminSite(admin.AdminSite):
    site_header = _("12345–110 Linkage Office")
    site_title = _("12345–110 Linkage Office")
    index_title = _("Back-office")

    def index(self, request, extra_context=None):
        """The home page opens with the figures of the person's daily work, given by
        ``settings.ADMIN_HOME_FIGURES`` (a function of the user; core names no app)."""
        figures = import_string(settings.ADMIN_HOME_FIGURES)(request.user)
        return super().index(request, {**(extra_context or {}), "home_figures": figures})

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredFiltersOnly):
            admin_class = type(
                admin_class.__name__,
                (DeclaredFiltersOnly, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
