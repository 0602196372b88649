"""What every figure means, once: the workbook, the dashboard, the API and the README
read it from here.

A figure is computed from the summed rollup measures of a period (``models.rollups.
MEASURES``) and the assessment scheme in force. Every figure's time basis is the same:
the tickets **received** in the period (Asia/Shanghai days), with everything that has
happened to them since, however late (a rating a week after the month ended counts in
that month once the rollups are refreshed). A rate whose denominator is 0 has no value
(shown as "—"), never 0 % or 100 %.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.tickets.lifecycle import MILESTONE_EVENTS

RATE, COUNT, SCORE = "rate", "count", "score"
TIME_BASIS = _(
    "Tickets received in the period (by the day, Asia/Shanghai), with everything that "
    "happened to them since up to the report's making: a rating or a return after the "
    "period ended still counts in it."
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str
    compute: Callable  # (summed measures, scheme) -> the value, or None
    numerator: str
    denominator: str = ""
    excluded: str = ""


def _measure(name):
    return lambda t, s: t[name]


def _share(part, whole):
    return Decimal(part) / Decimal(whole) if whole else None


def _on_time(milestone):
    return lambda t, s: _share(t[f"{MILESTONE_EVENTS[milestone]}_on_time"], t[f"{milestone}_due"])


def follow_ups(t, scheme) -> int:
    """Valid follow-ups: the ratings the scheme counts (unreachable callers only if it
    says so)."""
    valid = t["satisfied"] + t["basically_satisfied"] + t["dissatisfied"]
    return valid + (t["unreachable"] if scheme.unreachable_counts else 0)


def _satisfaction(t, scheme):
    basic = Decimal(scheme.basically_satisfied_percent) / 100
    return _share(t["satisfied"] + t["basically_satisfied"] * basic, follow_ups(t, scheme))


def _response(t, scheme):
    return _on_time(scheme.response_milestone)(t, scheme)


def _resolution(t, scheme):
    return _share(t["completed"], t["received"])


def composite(t, scheme):
    """The scheme's weighted sum of the three rates, out of 100. A rate without a value
    (no follow-ups yet) leaves its weight out: the others are re-weighted to 100."""
    parts = [
        (scheme.response_weight, _response(t, scheme)),
        (scheme.resolution_weight, _resolution(t, scheme)),
        (scheme.satisfaction_weight, _satisfaction(t, scheme)),
    ]
    weighed = [(w, r) for w, r in parts if r is not None and w]
    total_weight = sum(w for w, _r in weighed)
    if not total_weight:
        return None
    return sum(w * r for w, r in weighed) * 100 / total_weight


_RECEIVED = _("tickets received in the period")
_ON_TIME = _(
    "On time means no later than the deadline, which runs on the working calendar for "
    "units that work office hours, plus the grace the scheme in force on the day "
    "received gives that step (none by default); reaching a later step by then counts "
    "too (a ticket completed without a separate reply met the reply deadline). Tickets "
    "without that deadline are left out."
)

FIGURES = [
    Figure(
        "received",
        _("Received"),
        COUNT,
        _measure("received"),
        _("Tickets received in the period, by the day they were received (Asia/Shanghai)."),
        excluded=_("None: restricted tickets (涉密/涉稳/涉恐/涉案) are counted, but never listed."),
    ),
    Figure(
        "restricted",
        _("Of which restricted"),
        COUNT,
        _measure("restricted"),
        _("Received tickets marked restricted."),
    ),
    Figure(
        "completed",
        _("Tickets completed"),
        COUNT,
        _measure("completed"),
        _("Received tickets completed (办结) by now."),
    ),
    Figure(
        "sign_on_time",
        _("Signed on time"),
        RATE,
        _on_time("sign"),
        _("Tickets signed no later than their signing deadline."),
        _("Received tickets with a signing deadline."),
        _ON_TIME,
    ),
    Figure(
        "arrive_on_time",
        _("On site on time"),
        RATE,
        _on_time("arrive"),
        _("Tickets with staff on site no later than the on-site deadline."),
        _("Received tickets that needed staff on site."),
        _ON_TIME,
    ),
    Figure(
        "reply_on_time",
        _("Replied on time"),
        RATE,
        _on_time("reply"),
        _("Tickets replied to no later than the reply deadline."),
        _("Received tickets with a reply deadline."),
        _ON_TIME,
    ),
    Figure(
        "complete_on_time",
        _("Completed on time"),
        RATE,
        _on_time("complete"),
        _("Tickets completed no later than the completion deadline."),
        _("Received tickets with a completion deadline."),
        _ON_TIME,
    ),
    Figure(
        "response_rate",
        _("Response rate"),
        RATE,
        _response,
        _("Tickets that reached the scheme's response milestone (signing, by default) on time."),
        _("Received tickets with that milestone's deadline."),
        _ON_TIME,
    ),
    Figure(
        "resolution_rate",
        _("Resolution rate"),
        RATE,
        _resolution,
        _("Received tickets completed by now."),
        _RECEIVED,
        _("None: a ticket returned and not yet re-routed counts as not resolved."),
    ),
    Figure(
        "satisfaction_rate",
        _("Satisfaction rate"),
        RATE,
        _satisfaction,
        _(
            "Satisfied ratings, plus “basically satisfied” ones at the scheme's weight "
            "(0.9 by default)."
        ),
        _("Valid follow-ups: satisfied, basically satisfied and dissatisfied ratings."),
        _(
            "Callers who could not be reached, unless the scheme counts them; tickets not "
            "yet rated."
        ),
    ),
    Figure(
        "follow_ups",
        _("Valid follow-ups"),
        COUNT,
        follow_ups,
        _("Ratings the scheme counts as valid follow-ups."),
    ),
    Figure(
        "backflow",
        _("Backflow (returned)"),
        COUNT,
        _measure("returned"),
        _(
            "Returns of received tickets to the platform (回流), each counted against the "
            "unit that returned it."
        ),
    ),
    Figure(
        "backflow_rate",
        _("Backflow rate"),
        RATE,
        lambda t, s: _share(t["returned"], t["received"]),
        _("Returns (回流)."),
        _RECEIVED,
        _("A ticket returned twice counts twice: in theory the rate can pass one hundred percent."),
    ),
    Figure(
        "rerouted",
        _("Re-routed tickets"),
        COUNT,
        _measure("rerouted"),
        _("Received tickets sent to another unit at least once."),
    ),
    Figure(
        "late",
        _("Overdue tickets"),
        COUNT,
        _measure("late"),
        _(
            "Received tickets late for any deadline: reached after it, or still open and "
            "past it at the last refresh (a returned ticket waiting to be re-routed is not "
            "late; its next unit gets new deadlines)."
        ),
    ),
    Figure(
        "overdue_now",
        _("Overdue and still open"),
        COUNT,
        _measure("overdue_now"),
        _("Received tickets past an unmet deadline at the last refresh."),
    ),
    Figure(
        "notices",
        _("Supervision notices issued"),
        COUNT,
        _measure("notices"),
        _(
            "Supervision notices and escalations (督办) issued about received tickets, each "
            "counted against the unit it was sent to. Deadline warnings are not counted."
        ),
    ),
    Figure(
        "notices_acknowledged",
        _("Notices acknowledged"),
        COUNT,
        _measure("notices_acknowledged"),
        _("Of those, the notices the unit has acknowledged."),
    ),
    Figure(
        "circulars",
        _("Circulated (通报)"),
        COUNT,
        _measure("circulars"),
        _("Received tickets named in the circular: still late after the escalation."),
    ),
    Figure(
        "composite",
        _("Composite score"),
        SCORE,
        composite,
        _(
            "The scheme's weights times the response, resolution and satisfaction rates, "
            "out of 100."
        ),
        excluded=_(
            "A rate without a value (no follow-ups yet) is left out and the other weights "
            "scaled to 100. Units without tickets in the period are listed apart, unscored."
        ),
    ),
]
BY_KEY = {f.key: f for f in FIGURES}


def evaluate(totals, scheme) -> dict:
    """Every figure's value from summed measures."""
    return {f.key: f.compute(totals, scheme) for f in FIGURES}
