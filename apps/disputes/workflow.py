"""The dispute workflow, in one table: statuses and the moves between them.

    raised ─会商→ in consultation ─列入议程→ on agenda ─决定→ decided ─落实→ implemented
                      └──────────决定──────────┘    └─撤出议程→ in consultation
    any status before "decided" ─撤回→ withdrawn, ─合并→ merged (into another dispute)

The models, services, admin and API read it from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    ON_AGENDA = "on_agenda", _("On a meeting agenda")
    DECIDED = "decided", _("Decided")
    IMPLEMENTED = "implemented", _("Implemented")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged into another")


# Not yet decided: the first-receiving platform handles the matter meanwhile (首接负责制).
UNDECIDED = (DisputeStatus.RAISED, DisputeStatus.IN_CONSULTATION, DisputeStatus.ON_AGENDA)
CLOSED = (DisputeStatus.IMPLEMENTED, DisputeStatus.WITHDRAWN, DisputeStatus.MERGED)


class Move(models.TextChoices):
    CONSULT = "consult", _("Start consultation")
    SCHEDULE = "schedule", _("Put on a meeting agenda")
    UNSCHEDULE = "unschedule", _("Take off the agenda")
    DECIDE = "decide", _("Record the decision")
    IMPLEMENT = "implement", _("Implemented in the diversion list")
    WITHDRAW = "withdraw", _("Withdraw")
    MERGE = "merge", _("Merge into another dispute")


# move: (the statuses it may be made from, the status it makes)
MOVES = {
    Move.CONSULT: ((DisputeStatus.RAISED,), DisputeStatus.IN_CONSULTATION),
    Move.SCHEDULE: (
        (DisputeStatus.RAISED, DisputeStatus.IN_CONSULTATION),
        DisputeStatus.ON_AGENDA,
    ),
    Move.UNSCHEDULE: ((DisputeStatus.ON_AGENDA,), DisputeStatus.IN_CONSULTATION),
    Move.DECIDE: ((DisputeStatus.IN_CONSULTATION, DisputeStatus.ON_AGENDA), DisputeStatus.DECIDED),
    Move.IMPLEMENT: ((DisputeStatus.DECIDED,), DisputeStatus.IMPLEMENTED),
    Move.WITHDRAW: (UNDECIDED, DisputeStatus.WITHDRAWN),
    Move.MERGE: (UNDECIDED, DisputeStatus.MERGED),
}


def may_move(move, status) -> bool:
    return move in MOVES and status in MOVES[move][0]


def moves_from(status) -> list[str]:
    return [move for move, (sources, _made) in MOVES.items() if status in sources]
