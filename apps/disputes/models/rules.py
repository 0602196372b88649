"""The office's numbers for disputes and meetings (one row, edited by staff)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import SingletonModel


class DisputePolicy(SingletonModel):
    """When detection proposes a dispute (one row, edited by staff)."""

    detection_period_days = models.PositiveSmallIntegerField(
        _("detection looks back (days)"),
        default=30,
        help_text=_("Returned and re-routed tickets received within this many days count."),
    )
    min_returning_units = models.PositiveSmallIntegerField(
        _("returned by at least (different units)"),
        default=2,
        help_text=_("A matter whose tickets this many different units returned is proposed."),
    )
    max_reroutes = models.PositiveSmallIntegerField(
        _("re-routed more than (times)"),
        default=2,
        help_text=_(
            "A matter whose tickets were re-routed more often than this, all together, is proposed."
        ),
    )
    draft_days_before_quarter_end = models.PositiveSmallIntegerField(
        _("draft the regular meeting (days before the quarter ends)"),
        default=30,
        help_text=_(
            "The quarter's regular meeting is drafted, with its agenda, this many days "
            "before the quarter ends; staff are reminded each day until it is confirmed."
        ),
    )
    meeting_days_before_quarter_end = models.PositiveSmallIntegerField(
        _("proposed meeting date (days before the quarter ends)"),
        default=10,
        help_text=_(
            "The draft's date: this many days before the quarter ends, or the next working day."
        ),
    )
    action_reminder_days = models.PositiveSmallIntegerField(
        _("remind action-item owners (days before the deadline)"), default=2
    )

    class Meta:
        verbose_name = _("dispute and meeting rules")
        verbose_name_plural = _("dispute and meeting rules")

    def __str__(self):
        return str(_("Dispute and meeting rules"))
