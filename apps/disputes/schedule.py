"""What Celery Beat does for the meetings: draft each quarter's regular meeting before
the quarter ends, and remind staff each day until it is confirmed.

Both are idempotent: one regular meeting per region and quarter, and one reminder per
meeting and day, are unique constraints; a second tick or worker finds them made.
"""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.timestamps import local_minute
from apps.directory.models import Region
from apps.diversion.models import DiversionList
from apps.notices.models import NoticeKind
from apps.notices.services import Draft, issue, staff_recipients
from apps.workcalendar.selectors import WorkingCalendar

from . import meetings
from .models import (
    DisputePolicy,
    JointMeeting,
    MeetingKind,
    MeetingNotice,
    MeetingNoticePurpose,
    MeetingStatus,
)


def meeting_regions():
    """Regions that run their own diversion list run their own joint meeting."""
    return Region.objects.filter(
        pk__in=DiversionList.objects.in_force().values("region_id")
    ).order_by("division_code")


def draft_regular_meetings(today=None) -> list[JointMeeting]:
    """From ``draft_days_before_quarter_end`` days before the quarter ends, each region's
    regular meeting of the quarter, if it has none yet."""
    today = today or timezone.localdate()
    policy = DisputePolicy.current()
    first, last = quarter_bounds(today)
    if today < last - timedelta(days=policy.draft_days_before_quarter_end):
        return []
    quarter = (first.month - 1) // 3 + 1
    starts_at = proposed_meeting_start(
        max(today, last - timedelta(days=policy.meeting_days_before_quarter_end))
    )
    drafted = []
    for region in meeting_regions():
        if JointMeeting.objects.filter(
            region=region, kind=MeetingKind.REGULAR, year=first.year, quarter=quarter
        ).exists():
            continue
        try:
            with transaction.atomic():
                drafted.append(
                    meetings.create_meeting(
                        region=region,
                        kind=MeetingKind.REGULAR,
                        title=_("%(region)s joint meeting, %(year)d Q%(quarter)d")
                        % {"region": region.name, "year": first.year, "quarter": quarter},
                        starts_at=starts_at,
                        quarter=quarter,
                    )
                )
        except IntegrityError:
            continue  # another worker drafted it a moment ago
    return drafted


def remind_unconfirmed(today=None) -> int:
    """One reminder a day to staff for each regular meeting still in draft."""
    today = today or timezone.localdate()
    sent = 0
    for meeting in JointMeeting.objects.filter(
        kind=MeetingKind.REGULAR, status=MeetingStatus.DRAFT
    ).select_related("region"):
        if meeting.notices.filter(
            purpose=MeetingNoticePurpose.CONFIRM_REMINDER, on_date=today
        ).exists():
            continue
        try:
            with transaction.atomic():
                notice = issue(
                    Draft(
                        kind=NoticeKind.MEETING,
                        number=meeting.number,
                        title=_("Confirm %(number)s %(title)s")
                        % {"number": meeting.number, "title": meeting.title},
                        body=_(
                            "The meeting is planned for %(when)s and is still a draft. Check "
                            "its date, place, invited units and agenda, then confirm it: the "
                            "agenda then goes to the units."
                        )
                        % {"when": local_minute(meeting.starts_at)},
                        recipients=staff_recipients(),
                        link=reverse("admin:disputes_jointmeeting_change", args=[meeting.pk]),
                    )
                )
                MeetingNotice.objects.create(
                    meeting=meeting,
                    purpose=MeetingNoticePurpose.CONFIRM_REMINDER,
                    on_date=today,
                    notice=notice,
                )
            sent += 1
        except IntegrityError:
            continue  # reminded today already: the notice is rolled back with it
    return sent


def proposed_meeting_start(day):
    """A draft's proposed start: 09:30 on ``day`` or the next working day."""
    calendar = WorkingCalendar()
    working_day, _periods = next(calendar.working_days(day))
    return timezone.make_aware(
        datetime.combine(working_day, time(9, 30)), timezone.get_default_timezone()
    )


def quarter_bounds(day):
    """(first day, last day) of the quarter ``day`` is in."""
    first_month = (day.month - 1) // 3 * 3 + 1
    first = day.replace(month=first_month, day=1)
    after = (
        first.replace(year=first.year + 1, month=1)
        if first_month == 10
        else first.replace(month=first_month + 3)
    )
    return first, after - timedelta(days=1)
