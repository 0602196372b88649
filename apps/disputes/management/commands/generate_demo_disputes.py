"""Demo disputes and meetings, from the demo tickets: what detection finds in their
returns, confirmed as disputes with the units' positions; the previous quarter's regular
meeting, held, with minutes, a decision and action items (one overdue); and the current
quarter's regular meeting drafted with its agenda.

Everything goes through the services staff use, so the demo is what the product makes.
"""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.models import User
from apps.directory.models import Region, Unit
from apps.disputes import detection, meetings, schedule, selectors, services
from apps.disputes.models import (
    ActionStatus,
    DisputeOrigin,
    JurisdictionDispute,
    MeetingKind,
    Position,
    Presence,
)
from apps.diversion.models import DiversionItem
from apps.tickets.lifecycle import EventType
from apps.tickets.models import TicketEvent
from apps.workcalendar.selectors import WorkingCalendar

DEMO_REGION = "320600"  # 南通市, where the demo liaison's unit is
# Units a returned ticket's reason often names instead (南通's reference data).
SECOND_UNITS = ("市城管局", "市住建局", "市应急管理局", "市市场监管局")
STATEMENTS = {
    Position.DECLINES: "该事项不在本单位“三定”职责范围内，建议由行业主管部门承办。",
    Position.CLAIMS: "依据相关条例属本单位监管，同意承办，需相关部门配合取证。",
    Position.SHARES: "可在夜间和节假日配合处置，日常监管仍由主管部门负责。",
}


class Command(BaseCommand):
    help = "Demo disputes (from the demo tickets' returns) and joint meetings."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only if there are none.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and JurisdictionDispute.objects.exists():
            self.stdout.write("Disputes are there already: nothing to do.")
            return
        staff = User.objects.filter(username="staff").first()
        region = Region.objects.get(division_code=DEMO_REGION)
        with transaction.atomic():
            disputes = self._disputes(staff)
            held = self._held_meeting(region, staff, disputes)
        drafted = schedule.draft_regular_meetings() or [self._draft(region)]
        self.stdout.write(
            f"{len(disputes)} disputes, held {held.number}, drafted "
            + "、".join(m.number for m in drafted)
        )

    def _disputes(self, staff):
        """The demo region's matters most often returned, raised as disputes with their
        tickets as evidence and a second unit each that the returns point to; then
        detection over the demo's 90 days, its proposals left for staff to review."""
        region = Region.objects.get(division_code=DEMO_REGION)
        returned = (
            TicketEvent.objects.filter(
                type=EventType.RETURNED,
                ticket__diversion_item__diversion_list__region=region,
            )
            .values("ticket__diversion_item__item_code")
            .annotate(n=Count("id"))
            .order_by("-n", "ticket__diversion_item__item_code")
        )
        others = list(Unit.objects.active().filter(region=region, name__in=SECOND_UNITS))
        disputes = []
        for n, row in enumerate(returned[:4]):
            code = row["ticket__diversion_item__item_code"]
            tickets = list(
                selectors.matter_tickets(region_id=region.pk, item_code=code)
                .order_by("-received_at")
                .only("id", "unit_id")[:12]
            )
            item = DiversionItem.objects.filter(
                diversion_list__region=region, item_code=code
            ).latest("diversion_list__version")
            dispute = services.raise_dispute(
                region=region,
                title=f"“{item.subcategory or item.category}”由谁承办",
                matter=item.matter,
                origin=DisputeOrigin.RETURNED_TICKETS,
                raised_by=staff,
                item=item,
                tickets=tickets,
                units=[others[n % len(others)]] if others else [],
            )
            positions = list(STATEMENTS)
            for k, party in enumerate(dispute.parties.select_related("unit")[:3]):
                position = positions[(n + k) % len(positions)]
                services.record_position(
                    dispute=dispute,
                    unit=party.unit,
                    position=position,
                    statement=STATEMENTS[position],
                    actor=staff,
                )
            if n < 3:
                services.start_consultation(dispute, actor=staff, note="组织相关单位会商。")
            disputes.append(dispute)
        detection.detect(since=timezone.now() - timedelta(days=90))
        return disputes

    def _held_meeting(self, region, staff, disputes):
        """Last quarter's regular meeting: held, minutes approved, one dispute decided,
        two action items — one done, one open past its deadline."""
        today = timezone.localdate()
        first, _last = schedule.quarter_bounds(today)
        previous_first, previous_last = schedule.quarter_bounds(first - timedelta(days=1))
        held_on = WorkingCalendar().working_days(previous_last - timedelta(days=12))
        day, _periods = next(held_on)
        meeting = meetings.create_meeting(
            region=region,
            kind=MeetingKind.REGULAR,
            title=f"{region.name}12345与110对接联动联席会议{previous_first.year}年"
            f"第{(previous_first.month - 1) // 3 + 1}季度例会",
            starts_at=timezone.make_aware(datetime.combine(day, time(9, 30))),
            place="市政府第三会议室",
            convener="分管副市长",
            deputy_conveners="市数据局局长、市公安局副局长",
            created_by=staff,
        )
        meeting = meetings.confirm(meeting, actor=staff)
        meetings.send_agenda(meeting.pk, now=meeting.starts_at - timedelta(days=7))
        on_agenda = [d for d in disputes if meeting.agenda.filter(dispute=d).exists()]
        if on_agenda:
            decided = on_agenda[0]
            others = [p.unit for p in decided.parties.select_related("unit__region")]
            meetings.decide_at_meeting(
                decided,
                meeting=meeting,
                actor=staff,
                lead_unit=others[0],
                co_units=others[1:2],
                handling_norm=f"{others[0].name}主办，接单后2小时内联系诉求人，"
                "需现场处置的会同协办单位到场；协办单位24小时内反馈配合情况。",
                effective_date=day + timedelta(days=14),
            )
        owners = list(Unit.objects.active().filter(region=region).order_by("id")[:2])
        police = Unit.objects.get(region=region, name="市公安局")
        meetings.add_action_item(
            meeting,
            owner=police,
            description="会同相关部门制定夜间噪音联合处置流程，报联席办备案。",
            due_on=next(WorkingCalendar().working_days(day + timedelta(days=20)))[0],
            actor=staff,
        )
        done = meetings.add_action_item(
            meeting,
            owner=owners[0],
            description="梳理本单位退回工单原因，形成分析报告。",
            due_on=next(WorkingCalendar().working_days(day + timedelta(days=10)))[0],
            actor=staff,
        )
        meetings.update_action_item(
            done, update="分析报告已报送联席办。", status=ActionStatus.DONE, actor=staff
        )
        meetings.mark_held(
            meeting,
            actor=staff,
            minutes="会议听取了本季度分流转办和超期督办情况通报，研究了管辖争议事项，"
            "明确了主办、协办单位和处置规范，部署了下季度重点工作。",
        )
        for n, attendance in enumerate(meeting.attendance.select_related("unit")):
            if n % 9 == 4:
                presence, extra = Presence.ABSENT, {"absence_reason": "参加省里会议"}
            elif n % 5 == 3:
                presence, extra = Presence.DELEGATED, {"attendee": "办公室主任（代）"}
            else:
                presence, extra = Presence.ATTENDED, {"attendee": "分管领导"}
            meetings.record_attendance(
                meeting, unit=attendance.unit, presence=presence, actor=staff, **extra
            )
        return meetings.approve_minutes(meeting, actor=staff)

    def _draft(self, region):
        """This quarter's regular meeting as the schedule drafts it (also before its day)."""
        today = timezone.localdate()
        first, last = schedule.quarter_bounds(today)
        quarter = (first.month - 1) // 3 + 1
        return meetings.create_meeting(
            region=region,
            kind=MeetingKind.REGULAR,
            title=f"{region.name}{first.year}年第{quarter}季度联席会议",
            starts_at=schedule.proposed_meeting_start(max(today, last - timedelta(days=10))),
            quarter=quarter,
        )
