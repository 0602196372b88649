"""The four roles of the product, each a Django group created by migration.

Group names are the Chinese names staff see in the admin; code refers to them only
through ``Role`` so a rename is one edit here plus a migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "指挥中心工作人员", _("Command-centre staff")
    LIAISON = "成员单位联络员", _("Unit liaison")
    LEADERSHIP = "领导", _("Leadership")
    PLATFORM = "平台接口", _("Platform client")


# Model permissions per role: (app_label, model, actions). Object-level limits (a liaison
# sees only the own unit) live in the admin classes and selectors, not here.
ROLE_PERMISSIONS = {
    Role.STAFF: {
        ("directory", "region"): ("view", "add", "change", "delete"),
        ("directory", "unit"): ("view", "add", "change", "delete"),
        ("directory", "contact"): ("view", "add", "change", "delete"),
        ("directory", "contactconfirmationpolicy"): ("view", "change"),
        ("notices", "notice"): ("view",),
        ("notices", "deliverypolicy"): ("view", "change"),
        ("accounts", "user"): ("view", "add", "change"),
        ("diversion", "diversionlist"): ("view", "add", "change", "delete"),
        ("diversion", "diversionitem"): ("view", "add", "change", "delete"),
        ("diversion", "lookupsynonym"): ("view", "add", "change", "delete"),
        ("diversion", "lookupweights"): ("view", "change"),
        # The lookup page records choices (add); review is change.
        ("diversion", "lookupchoice"): ("view", "add", "change", "delete"),
        ("workcalendar", "workingperiod"): ("view", "add", "change", "delete"),
        ("workcalendar", "calendarday"): ("view", "add", "change", "delete"),
        ("tickets", "ticket"): ("view",),
        ("tickets", "supervisionnotice"): ("view",),
        ("tickets", "ticketexport"): ("view",),  # one's own exports
        ("tickets", "deadlinepolicy"): ("view", "add", "change", "delete"),
        ("tickets", "deadlinerule"): ("view", "add", "change", "delete"),
        ("tickets", "supervisionpolicy"): ("view", "change"),
        ("disputes", "jurisdictiondispute"): ("view", "add", "change"),
        ("disputes", "disputeproposal"): ("view", "change"),
        ("disputes", "disputepolicy"): ("view", "change"),
        ("disputes", "jointmeeting"): ("view", "add", "change"),
        ("disputes", "attendance"): ("view", "add", "change", "delete"),
        ("disputes", "agendaitem"): ("view", "add", "change", "delete"),
        ("disputes", "minutesattachment"): ("view", "add", "change", "delete"),
        ("disputes", "actionitem"): ("view", "change"),
        # A new scheme is added with its effective date; one in force is kept as it was.
        ("reports", "assessmentscheme"): ("view", "add", "change"),
        ("reports", "ontimerule"): ("view", "add", "change"),
        ("reports", "reportpolicy"): ("view", "change"),
        # Reports are produced (add: a special report or a rerun), never edited.
        ("reports", "reportrun"): ("view", "add"),
        # The office's schedules (周期性任务): times and switches, not new tasks.
        ("django_celery_beat", "periodictask"): ("view", "change"),
        ("django_celery_beat", "crontabschedule"): ("view",),
        ("django_celery_beat", "intervalschedule"): ("view",),
        # Failed sign-ins: deleting an attempt unlocks that account or address.
        ("accounts", "signinlock"): ("view", "delete"),
        ("accounts", "failedsignin"): ("view",),
        ("accounts", "signinrecord"): ("view",),
    },
    Role.LIAISON: {
        ("directory", "unit"): ("view", "change"),
        ("directory", "contact"): ("view", "add", "change"),
        ("notices", "notice"): ("view",),
        ("diversion", "diversionlist"): ("view",),
        ("diversion", "diversionitem"): ("view",),
        ("tickets", "ticket"): ("view",),
        ("tickets", "supervisionnotice"): ("view",),
        ("tickets", "ticketexport"): ("view",),  # one's own exports
        # Positions and attendance are recorded on their own pages, not by changing the
        # dispute or the meeting; action items of the own unit are reported on (change).
        ("disputes", "jurisdictiondispute"): ("view",),
        ("disputes", "jointmeeting"): ("view",),
        ("disputes", "attendance"): ("view",),
        ("disputes", "agendaitem"): ("view",),
        ("disputes", "minutesattachment"): ("view",),
        ("disputes", "actionitem"): ("view", "change"),
    },
    Role.LEADERSHIP: {
        ("workcalendar", "workingperiod"): ("view",),
        ("workcalendar", "calendarday"): ("view",),
        ("directory", "region"): ("view",),
        ("directory", "unit"): ("view",),
        ("directory", "contact"): ("view",),
        ("notices", "notice"): ("view",),
        ("diversion", "diversionlist"): ("view",),
        ("diversion", "diversionitem"): ("view",),
        ("tickets", "ticket"): ("view",),
        ("tickets", "supervisionnotice"): ("view",),
        ("tickets", "ticketexport"): ("view",),  # one's own exports
        ("tickets", "deadlinepolicy"): ("view",),
        ("tickets", "supervisionpolicy"): ("view",),
        ("disputes", "jurisdictiondispute"): ("view",),
        ("disputes", "disputeproposal"): ("view",),
        ("disputes", "disputepolicy"): ("view",),
        ("reports", "assessmentscheme"): ("view",),
        ("reports", "ontimerule"): ("view",),
        ("reports", "reportpolicy"): ("view",),
        ("reports", "reportrun"): ("view", "add"),
        ("disputes", "jointmeeting"): ("view",),
        ("disputes", "attendance"): ("view",),
        ("disputes", "agendaitem"): ("view",),
        ("disputes", "minutesattachment"): ("view",),
        ("disputes", "actionitem"): ("view",),
    },
    Role.PLATFORM: {},
}


def sync_role_groups(**kwargs):
    """Give every role group exactly its permissions (a ``post_migrate`` receiver).

    The groups themselves are created by migration; permissions only exist once every
    app has migrated, so they are (re)granted after each ``migrate``.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {
            (app_label, f"{action}_{model}")
            for (app_label, model), actions in grants.items()
            for action in actions
        }
        perms = Permission.objects.filter(
            codename__in={codename for _, codename in wanted}
        ).select_related("content_type")
        group.permissions.set(
            [p for p in perms if (p.content_type.app_label, p.codename) in wanted]
        )
