"""Daily figures per unit, region, direction, urgency and matter, kept so that the
dashboard and the reports never scan the tickets themselves."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Platform
from apps.core.models import SingletonModel
from apps.tickets.models import Urgency

# The counts a rollup row holds. Every one is additive: a period's figure is the sum over
# its days, a city's the sum over itself and its counties. What each means is written in
# ``reports.figures``.
MEASURES = (
    "received",
    "restricted",
    "sign_due",
    "signed_on_time",
    "arrive_due",
    "arrived_on_time",
    "reply_due",
    "replied_on_time",
    "complete_due",
    "completed",
    "completed_on_time",
    "late",
    "overdue_now",
    "rerouted",
    "returned",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "unreachable",
    "notices",
    "notices_acknowledged",
    "circulars",
)


class DailyRollup(models.Model):
    """The tickets received on one day (Asia/Shanghai) by one unit of one region, from
    one platform, of one urgency and one matter; with the returns, notices and ratings
    they have had since, however late."""

    day = models.DateField(_("day"))
    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    source_platform = models.CharField(_("source platform"), max_length=8, choices=Platform.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    # The diversion item's code, the same across list versions; "" when none was matched.
    item_code = models.CharField(_("item code"), max_length=32, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region", "unit", "source_platform", "urgency", "item_code"],
                name="one_rollup_per_day_and_key",
            )
        ]
        indexes = [models.Index(fields=["region", "day"], name="rollup_region_day")]

    def __str__(self):
        return f"{self.day} {self.unit_id} {self.source_platform} {self.item_code}"


for _measure in MEASURES:
    DailyRollup.add_to_class(_measure, models.PositiveIntegerField(default=0))


class RollupState(SingletonModel):
    """How far the rollups have taken in the tickets' changes (the refresh's watermark)."""

    refreshed_up_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")

    def __str__(self):
        return str(self.refreshed_up_to or "—")
