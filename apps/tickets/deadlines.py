"""Deadlines of a ticket, from the deadline policies and the working calendar.

They are computed when a ticket is received or re-routed and stored on it; a policy
edited later does not rewrite tickets already running.
"""

from dataclasses import dataclass
from datetime import timedelta

from apps.workcalendar.selectors import (
    WorkingCalendar,
    add_working_days,
    add_working_time,
    working_time_between,
)

from .lifecycle import Milestone
from .models import Clock, DeadlinePolicy, DurationUnit, SupervisionPolicy


@dataclass
class Due:
    at: object  # datetime
    warn_at: object  # datetime or None


class DeadlineBook:
    """The active policies and the calendar, loaded once for many tickets."""

    def __init__(self):
        self.policies = [
            (policy, {rule.milestone: rule for rule in policy.rules.all()})
            for policy in DeadlinePolicy.objects.filter(is_active=True).prefetch_related("rules")
        ]
        self.calendar = WorkingCalendar()
        self.supervision = SupervisionPolicy.current()
        self.warning_share = self.supervision.warning_percent / 100
        self._rules_for = {}

    def _end(self, rule, start):
        """(deadline, working time allowed or None): the allowed time of a duration in
        working time is the duration itself, so only working days need it counted."""
        if rule.unit == DurationUnit.WORKING_DAYS:
            end = add_working_days(start, rule.amount, calendar=self.calendar)
            return end, None
        delta = timedelta(minutes=rule.amount * (60 if rule.unit == DurationUnit.HOURS else 1))
        if rule.clock == Clock.WORKING:
            return add_working_time(start, delta, calendar=self.calendar), delta
        return start + delta, None

    def _warning(self, rule, start, end, allowed):
        if not self.warning_share:
            return None
        if rule.clock == Clock.WORKING:
            if allowed is None:
                allowed = working_time_between(start, end, calendar=self.calendar)
            return add_working_time(start, allowed * self.warning_share, calendar=self.calendar)
        return start + (end - start) * self.warning_share

    def rule_for(self, milestone, urgency, tier):
        """The deciding rules: highest priority (equal priority: the caller takes the
        earliest deadline). Kept per combination: a batch asks the same few many times."""
        key = (milestone, urgency, tier)
        if key not in self._rules_for:
            self._rules_for[key] = self._deciding(milestone, urgency, tier)
        return self._rules_for[key]

    def _deciding(self, milestone, urgency, tier):
        matching = [
            (policy.priority, rules[milestone])
            for policy, rules in self.policies
            if milestone in rules
            and policy.urgency in ("", urgency)
            and policy.linkage_tier in (None, tier)
        ]
        if not matching:
            return None
        top = max(priority for priority, _rule in matching)
        return [rule for priority, rule in matching if priority == top]

    def compute(self, *, start, urgency, tier, needs_on_site) -> dict:
        """{milestone: Due} for the milestones the ticket has a deadline for."""
        deadlines = {}
        for milestone in Milestone:
            if milestone == Milestone.ARRIVE and not needs_on_site:
                continue
            candidates = self.rule_for(milestone, urgency, tier)
            if not candidates:
                continue
            rule, (end, allowed) = min(
                ((r, self._end(r, start)) for r in candidates), key=lambda p: p[1][0]
            )
            deadlines[milestone] = Due(end, self._warning(rule, start, end, allowed))
        return deadlines
