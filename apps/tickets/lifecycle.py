"""The ticket lifecycle, in one table: statuses, milestones, the events that move a
ticket on, what each needs and makes, and which field it stamps.

The models, services, admin, API, the demo generator and the tests read it from here;
nothing else spells out a transition.

    transferred ─签收→ signed ─到场→ arrived ─回复→ replied ─办结→ completed ─评价→ (rated)
         │             │  └───────回复/办结────────────┘
         └────退回─────┴→ returned ─改派→ transferred (next routing round)
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    TRANSFERRED = "transferred", _("Awaiting signature")
    SIGNED = "signed", _("Signed")
    ARRIVED = "arrived", _("On site")
    REPLIED = "replied", _("Replied")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned for re-routing")


# Still with a unit and running against deadlines.
OPEN_STATUSES = (Status.TRANSFERRED, Status.SIGNED, Status.ARRIVED, Status.REPLIED)


class Milestone(models.TextChoices):
    SIGN = "sign", _("Sign")
    ARRIVE = "arrive", _("Arrive on site")
    REPLY = "reply", _("Reply")
    COMPLETE = "complete", _("Complete")


# Ticket fields per milestone: (deadline, when met).
MILESTONE_FIELDS = {
    Milestone.SIGN: ("sign_by", "signed_at"),
    Milestone.ARRIVE: ("arrive_by", "arrived_at"),
    Milestone.REPLY: ("reply_by", "replied_at"),
    Milestone.COMPLETE: ("complete_by", "completed_at"),
}


class EventType(models.TextChoices):
    CREATED = "created", _("Received and transferred")
    SIGNED = "signed", _("Signed")
    ARRIVED = "arrived", _("Arrived on site")
    REPLIED = "replied", _("Replied")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned")
    REROUTED = "rerouted", _("Re-routed")
    RATED = "rated", _("Rated")
    NOTICE = "notice", _("Supervision notice")


@dataclass(frozen=True)
class Step:
    """An event a unit or a platform records on a ticket."""

    needs: frozenset  # the statuses it may be recorded in
    makes: str  # the status after it
    stamps: str  # the ticket field that records when
    milestone: str | None = None  # the deadline it meets
    handling: bool = True  # done by the unit (the rating is the receiving platform's)
    reports: bool = False  # carries the handling result (text, photos, documents)


STEPS = {
    EventType.SIGNED: Step(
        frozenset({Status.TRANSFERRED}), Status.SIGNED, "signed_at", Milestone.SIGN
    ),
    EventType.ARRIVED: Step(
        frozenset({Status.SIGNED}), Status.ARRIVED, "arrived_at", Milestone.ARRIVE
    ),
    EventType.REPLIED: Step(
        frozenset({Status.SIGNED, Status.ARRIVED}),
        Status.REPLIED,
        "replied_at",
        Milestone.REPLY,
        reports=True,
    ),
    EventType.COMPLETED: Step(
        frozenset({Status.SIGNED, Status.ARRIVED, Status.REPLIED}),
        Status.COMPLETED,
        "completed_at",
        Milestone.COMPLETE,
        reports=True,
    ),
    EventType.RETURNED: Step(
        frozenset({Status.TRANSFERRED, Status.SIGNED}), Status.RETURNED, "returned_at"
    ),
    EventType.RATED: Step(
        frozenset({Status.COMPLETED}), Status.COMPLETED, "rated_at", handling=False
    ),
}

# Views of the table the callers use.
TRANSITIONS = {event: (step.needs, step.makes) for event, step in STEPS.items()}
EVENT_TIME_FIELDS = {event: step.stamps for event, step in STEPS.items()}
HANDLING_EVENTS = frozenset(event for event, step in STEPS.items() if step.handling)
REPORTING_EVENTS = frozenset(event for event, step in STEPS.items() if step.reports)
MILESTONE_EVENTS = {step.milestone: event for event, step in STEPS.items() if step.milestone}
# Where a ticket may be re-routed from: back from its unit, or not yet signed.
REROUTABLE_STATUSES = frozenset({Status.RETURNED, Status.TRANSFERRED})


def may_follow(event, status) -> bool:
    """Whether ``event`` may be recorded on a ticket in ``status``."""
    step = STEPS.get(event)
    return step is not None and status in step.needs


def unmet_deadlines(ticket) -> dict:
    """{milestone: deadline} of the milestones with a deadline not yet met, read off
    anything with the ticket's field names (a model instance, or the scan's rows)."""
    unmet = {}
    for milestone, (due, met) in MILESTONE_FIELDS.items():
        deadline = getattr(ticket, due)
        if deadline is not None and getattr(ticket, met) is None:
            unmet[milestone] = deadline
    return unmet
