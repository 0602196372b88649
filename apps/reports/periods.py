"""Report periods: months, quarters and any range of days, with the periods they are
compared with (the one before, 环比; the same one a year before, 同比)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from apps.disputes.schedule import quarter_bounds


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    after = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    return first, after - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str  # "monthly", "quarterly" or "special" (ReportKind's values)
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> "Period":
        """The period just before: the previous month or quarter, or as many days."""
        if self.kind == "monthly":
            return Period(self.kind, *month_bounds(self.first - timedelta(days=1)))
        if self.kind == "quarterly":
            return Period(self.kind, *quarter_bounds(self.first - timedelta(days=1)))
        return Period(
            self.kind, self.first - timedelta(days=self.days), self.first - timedelta(days=1)
        )

    def year_before(self) -> "Period":
        """The same period a year before (29 February falls back to the 28th)."""

        def back(day):
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        if self.kind == "monthly":
            return Period(self.kind, *month_bounds(back(self.first)))
        return Period(self.kind, back(self.first), back(self.last))

    def label(self) -> str:
        if self.kind == "monthly":
            return _("%(year)d-%(month)02d") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarterly":
            return _("%(year)d Q%(quarter)d") % {
                "year": self.first.year,
                "quarter": (self.first.month - 1) // 3 + 1,
            }
        return f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"


def previous_month(today: date) -> Period:
    return Period("monthly", *month_bounds(today.replace(day=1) - timedelta(days=1)))


def previous_quarter(today: date) -> Period:
    return Period("quarterly", *quarter_bounds(quarter_bounds(today)[0] - timedelta(days=1)))
