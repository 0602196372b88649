from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so a date maps to its periods without translation.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingPeriodQuerySet(models.QuerySet):
    def overlapping(self, weekday, start_time, end_time):
        """Periods of the weekday sharing some time with start–end (touching is fine)."""
        return self.filter(weekday=weekday, start_time__lt=end_time, end_time__gt=start_time)


class WorkingPeriod(models.Model):
    """A stretch of working hours on a weekday; a weekday may have several (morning, afternoon)."""

    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        help_text=_(
            "The office's default working hours, seeded on installation, are Monday to "
            "Friday 08:30–12:00 and 13:30–17:30. Edit, add or delete periods to match the "
            "office's actual hours; deadlines counted in working time use them at once. "
            "A weekday without periods is a rest day."
        ),
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(
        _("end time"),
        help_text=_("Later than the start time, on the same day: a period cannot pass midnight."),
    )

    objects = WorkingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="working_period_ends_after_start",
                violation_error_message=_("The end time must be later than the start time."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6),
                name="working_period_weekday_0_to_6",
                violation_error_message=_("The weekday must be 0 (Monday) to 6 (Sunday)."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.weekday is None or self.start_time is None or self.end_time is None:
            return  # the required-field errors are already reported
        if self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": _("The end time must be later than the start time.")}
            )
        # Overlap cannot be a portable database constraint (PostgreSQL would need an
        # exclusion constraint), so it is checked here; the arithmetic also merges
        # overlapping periods, so a bulk edit that bypasses this check cannot double-count.
        clash = (
            WorkingPeriod.objects.overlapping(self.weekday, self.start_time, self.end_time)
            .exclude(pk=self.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("This period overlaps %(other)s on the same weekday.") % {"other": clash}
            )


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday or rest day")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDayQuerySet(models.QuerySet):
    def between(self, first, last):
        """Days from first to last, both included."""
        return self.filter(date__gte=first, date__lte=last)

    def in_year(self, year):
        return self.filter(date__year=year)


class CalendarDay(models.Model):
    """A date whose working status differs from its weekday's usual one.

    Holidays (including the weekend days inside a holiday block) have no working time;
    make-up working days (调休) work the periods of the weekday named in
    ``works_as_weekday``. Dates not listed here follow their weekday's working periods.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(
        _("name"),
        max_length=64,
        help_text=_("The holiday this day belongs to, e.g. 春节 or 国庆节."),
    )
    works_as_weekday = models.PositiveSmallIntegerField(
        _("works as"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_(
            "For a make-up working day: whose weekday's working periods apply (usually "
            "Monday). Ignored for holidays."
        ),
    )

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(works_as_weekday__lte=6),
                name="calendar_day_weekday_0_to_6",
                violation_error_message=_("The weekday must be 0 (Monday) to 6 (Sunday)."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    def clean(self):
        if self.kind != DayKind.WORKDAY or self.works_as_weekday is None:
            return
        # A make-up working day whose weekday has no periods would silently be a rest day.
        if not WorkingPeriod.objects.filter(weekday=self.works_as_weekday).exists():
            raise ValidationError(
                {
                    "works_as_weekday": _(
                        "%(weekday)s has no working periods; choose a weekday with working "
                        "hours or add periods for it first."
                    )
                    % {"weekday": Weekday(self.works_as_weekday).label}
                }
            )
