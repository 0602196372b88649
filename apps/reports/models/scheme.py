"""How units are assessed, and the report settings: data the office edits, not code."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import SingletonModel
from apps.tickets.lifecycle import Milestone


class AssessmentSchemeQuerySet(models.QuerySet):
    def in_force(self, day=None):
        """The scheme in force on ``day`` (today): the latest to have taken effect."""
        day = day or timezone.localdate()
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


class AssessmentScheme(models.Model):
    """The weights of the three rates in a unit's composite score, and what counts.

    Versioned by ``effective_from``: a report uses the scheme in force on the last day
    of its period, and names it, so a re-weighting never rewrites old rankings."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"), unique=True)
    response_weight = models.PositiveSmallIntegerField(
        _("weight of the response rate (%)"), validators=[MaxValueValidator(100)]
    )
    resolution_weight = models.PositiveSmallIntegerField(
        _("weight of the resolution rate (%)"), validators=[MaxValueValidator(100)]
    )
    satisfaction_weight = models.PositiveSmallIntegerField(
        _("weight of the satisfaction rate (%)"), validators=[MaxValueValidator(100)]
    )
    basically_satisfied_percent = models.PositiveSmallIntegerField(
        _("“basically satisfied” counts as (%)"),
        validators=[MaxValueValidator(100)],
        help_text=_("90 counts a “basically satisfied” rating as 0.9 of a satisfied one."),
    )
    unreachable_counts = models.BooleanField(
        _("unreachable callers count as follow-ups"),
        default=False,
        help_text=_(
            "Off: a follow-up call nobody answered is left out of the satisfaction rate's "
            "denominator. On: it counts as a follow-up that was not satisfied."
        ),
    )
    response_milestone = models.CharField(
        _("response means reaching"),
        max_length=16,
        choices=Milestone.choices,
        default=Milestone.SIGN,
        help_text=_("The response rate is the share of tickets that reached it on time."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = AssessmentSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name}（{self.effective_from:%Y-%m-%d}）"

    def clean(self):
        # The rollups of a day are counted under the scheme in force on it: a scheme
        # that took effect in the past would leave them counted under another.
        if self.effective_from and self.effective_from <= timezone.localdate():
            raise ValidationError(
                {"effective_from": _("A scheme takes effect tomorrow at the earliest.")}
            )
        weights = [self.response_weight, self.resolution_weight, self.satisfaction_weight]
        if None not in weights and sum(weights) != 100:
            raise ValidationError(
                _("The three weights add up to %(sum)d%%; they must add up to 100%%.")
                % {"sum": sum(weights)}
            )

    def graces(self) -> dict[str, timedelta]:
        """Per milestone, how long after its deadline reaching it still counts as on
        time in the rates (none where the scheme names no grace)."""
        return {
            rule.milestone: timedelta(minutes=rule.grace_minutes)
            for rule in self.on_time_rules.all()
            if rule.grace_minutes
        }


class OnTimeRule(models.Model):
    """A scheme's grace for one milestone: the rates count a ticket that reached it
    this long after its deadline as on time. Supervision does not: the overdue scan and
    the "late" figures go by the deadline itself."""

    scheme = models.ForeignKey(
        AssessmentScheme, on_delete=models.CASCADE, related_name="on_time_rules"
    )
    milestone = models.CharField(_("milestone"), max_length=16, choices=Milestone.choices)
    grace_minutes = models.PositiveIntegerField(
        _("grace (minutes)"),
        default=0,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("Reaching the milestone this long after its deadline still counts as on time."),
    )

    class Meta:
        verbose_name = _("on-time rule")
        verbose_name_plural = _("on-time rules")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "milestone"], name="one_rule_per_milestone")
        ]

    def __str__(self):
        return f"{self.get_milestone_display()} +{self.grace_minutes}"


class ReportPolicy(SingletonModel):
    """The numbers the reports and the dashboard use besides the scheme's."""

    top_matters = models.PositiveSmallIntegerField(
        _("matters in the top list"), default=20, validators=[MaxValueValidator(200)]
    )
    rising_min_volume = models.PositiveIntegerField(
        _("least tickets for a rising matter"),
        default=10,
        help_text=_("A matter is listed as rising only with at least this many tickets."),
    )
    rising_matters = models.PositiveSmallIntegerField(
        _("rising matters listed"), default=10, validators=[MaxValueValidator(200)]
    )

    longest_period_days = models.PositiveIntegerField(
        _("longest special report (days)"),
        default=366,
        validators=[MaxValueValidator(3660)],
        help_text=_("A special report, or the figures asked over the API, cover at most this."),
    )
    stale_after_minutes = models.PositiveIntegerField(
        _("a running report is given up after (minutes)"),
        default=30,
        help_text=_("A report still running after this long (its worker died) is run again."),
    )
    catch_up_months = models.PositiveSmallIntegerField(
        _("months caught up"),
        default=12,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "When Celery Beat starts again, the monthly and quarterly reports missed over "
            "this many months are produced."
        ),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self):
        return str(_("Report settings"))
