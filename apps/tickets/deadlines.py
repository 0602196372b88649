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

from .models import Clock, DeadlinePolicy, DurationUnit, Milestone, SupervisionPolicy


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

    def _end(self, rule, start):
        if rule.unit == DurationUnit.WORKING_DAYS:
            return add_working_days(start, rule.amount, calendar=self.calendar)
        delta = timedelta(minutes=rule.amount * (60 if rule.unit == DurationUnit.HOURS else 1))
        if rule.clock == Clock.WORKING:
            return add_working_time(start, delta, calendar=self.calendar)
        return start + delta

    def _warning(self, rule, start, end):
        if not self.warning_share:
            return None
        if rule.clock == Clock.WORKING:
            allowed = working_time_between(start, end, calendar=self.calendar)
            return add_working_time(start, allowed * self.warning_share, calendar=self.calendar)
        return start + (end - start) * self.warning_share

    def rule_for(self, milestone, urgency, tier):
        """The deciding rule: highest priority; equal priority, the earliest deadline."""
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
            rule, end = min(((r, self._end(r, start)) for r in candidates), key=lambda p: p[1])
            deadlines[milestone] = Due(end, self._warning(rule, start, end))
        return deadlines
