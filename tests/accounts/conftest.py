"""One object behind every admin door, for the role-matrix tests."""

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from rest_framework.authtoken.models import TokenProxy

from apps.core.jobs import JobStatus
from apps.directory.models import ContactConfirmationPolicy, ContactRole, Region
from apps.disputes.meetings import confirm, create_meeting
from apps.disputes.models import (
    ActionItem,
    DisputeOrigin,
    DisputePolicy,
    DisputeProposal,
    MeetingKind,
    MinutesAttachment,
)
from apps.disputes.services import raise_dispute
from apps.diversion.choices import record_choice
from apps.diversion.models import DiversionList, ListStatus, LookupSynonym, LookupWeights
from apps.notices.models import Channel, DeliveryPolicy, NoticeKind
from apps.notices.services import Draft, Recipient, issue
from apps.reports.models import AssessmentScheme, ReportKind, ReportPolicy, ReportRun, RunStatus
from apps.tickets import supervision
from apps.tickets.ingest import ingest
from apps.tickets.models import DeadlinePolicy, SupervisionPolicy, TicketAttachment, TicketExport
from apps.workcalendar.models import CalendarDay, WorkingPeriod
from tests.factories import ContactFactory, DiversionItemFactory, DiversionListFactory


def _moment(hours_ago):
    return timezone.now() - timedelta(hours=hours_ago)


def _attachment(ticket):
    return TicketAttachment.objects.create(
        ticket=ticket,
        event=ticket.events.get(type="created"),
        file=ContentFile(b"\x89PNG\r\n\x1a\n", name="door.png"),
        name="门禁.png",
        content_type="image/png",
        extension="png",
        size=8,
    )


def _lookup_choice(user, region):
    published = DiversionListFactory(region=region)
    item = DiversionItemFactory(diversion_list=published)
    DiversionList.objects.filter(pk=published.pk).update(status=ListStatus.PUBLISHED)
    published.refresh_from_db()
    return record_choice(user=user, words="门禁来电", item=item, position=1)


def _dispute(raised_by_unit, units, ticket):
    return raise_dispute(
        region=raised_by_unit.region,
        title="门禁争议",
        matter="门禁事项",
        origin=DisputeOrigin.UNIT,
        raised_by_unit=raised_by_unit,
        units=units,
        tickets=[ticket],
    )


def _meetings(staff, unit, other_unit):
    """A confirmed meeting the liaison's unit is invited to, and one it is not, each with
    an action item and a minutes file."""
    found = {}
    for key, units in (("own", [unit, other_unit]), ("other", [other_unit])):
        meeting = create_meeting(
            region=unit.region,
            kind=MeetingKind.AD_HOC,
            title="门禁会议",
            starts_at=timezone.now(),
            units=units,
        )
        confirm(meeting, actor=staff)
        found[f"{key}_meeting"] = meeting
        found[f"{key}_action"] = ActionItem.objects.create(
            meeting=meeting,
            owner=units[0],
            description="门禁事项",
            due_by=timezone.now() + timedelta(days=3),
        )
        attachment = MinutesAttachment(
            meeting=meeting, name="纪要.pdf", content_type="application/pdf", uploaded_by=staff
        )
        attachment.file.save("纪要.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
        found[f"{key}_minutes_file"] = attachment
    return found


def _staff_export(staff):
    export = TicketExport.objects.create(requested_by=staff, status=JobStatus.DONE, rows=2)
    export.file.save("门禁导出.xlsx", ContentFile(b"PK not really a workbook"), save=True)
    return export


def _report_run(region):
    run = ReportRun.objects.create(
        kind=ReportKind.MONTHLY,
        region=region,
        first_day=date(2026, 10, 1),
        last_day=date(2026, 10, 31),
        status=RunStatus.DONE,
    )
    run.file.save("门禁月报.xlsx", ContentFile(b"PK not really a workbook"), save=True)
    return run


@pytest.fixture
def objects(users, unit, other_unit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    """One object behind every door, owned by the liaison's unit or by another unit."""
    own_contact = ContactFactory(unit=unit, role=ContactRole.LIAISON)
    other_contact = ContactFactory(unit=other_unit, role=ContactRole.LIAISON)
    tickets = []
    for owner in (unit, other_unit):
        data = {
            "external_id": f"DOOR-{owner.pk}",
            "region": owner.region.division_code,
            "received_at": _moment(3),
            "channel": "phone",
            "transfer_method": "one_key",
            "urgency": "urgent",
            "unit": owner.pk,
            "summary": "门禁测试",
            "caller_phone": "13812345678",
        }
        (result,) = ingest([data], platform="12345")
        tickets.append(result.ticket)
    notices = [
        supervision.issue_notice_now(ticket, issued_by=users["staff"], text="门禁测试")
        for ticket in tickets
    ]
    draft = DiversionListFactory(region=unit.region)
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    return {
        "region": Region.objects.get(pk=unit.region_id),
        "own_unit": unit,
        "other_unit": other_unit,
        "own_contact": own_contact,
        "other_contact": other_contact,
        "contact_policy": ContactConfirmationPolicy.current(),
        "liaison_notice": issue(
            Draft(
                kind=NoticeKind.CONTACT_REMINDER,
                title="通知",
                body="正文",
                recipients=[Recipient(channel=Channel.IN_APP, user_id=users["liaison"].pk)],
                requires_acknowledgement=True,
            )
        ),
        "delivery_policy": DeliveryPolicy.current(),
        "leader_user": users["leader"],
        "group": Group.objects.first(),
        "token": TokenProxy.objects.create(user=users["platform"]),
        "periodic_task": PeriodicTask.objects.create(
            name="door", task="apps.tickets.tasks.scan_overdue", interval=interval
        ),
        "clocked": ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "crontab": CrontabSchedule.objects.create(minute="5"),
        "solar": SolarSchedule.objects.create(event="sunset", latitude=32, longitude=120),
        "interval": interval,
        "working_period": WorkingPeriod.objects.first(),
        "calendar_day": CalendarDay.objects.first(),
        "draft_list": draft,
        "draft_item": DiversionItemFactory(diversion_list=draft),
        "synonym": LookupSynonym.objects.create(spoken="门禁词", listed="门禁"),
        "lookup_choice": _lookup_choice(users["staff"], unit.region),
        "own_ticket": tickets[0],
        "own_attachment": _attachment(tickets[0]),
        "other_attachment": _attachment(tickets[1]),
        "other_ticket": tickets[1],
        "own_notice": notices[0],
        "other_notice": notices[1],
        "deadline_policy": DeadlinePolicy.objects.first(),
        "supervision_policy": SupervisionPolicy.current(),
        "access_attempt": AccessAttempt.objects.create(
            username="guess", ip_address="10.0.0.9", failures_since_start=3
        ),
        "access_log": AccessLog.objects.create(username="leader", ip_address="10.0.0.9"),
        "access_failure": AccessFailureLog.objects.create(username="guess", ip_address="10.0.0.9"),
        "own_dispute": _dispute(unit, [unit, other_unit], tickets[0]),
        "other_dispute": _dispute(other_unit, [other_unit], tickets[1]),
        "dispute_policy": DisputePolicy.current(),
        "scheme_in_force": AssessmentScheme.objects.in_force(),
        "future_scheme": AssessmentScheme.objects.create(
            name="2027年方案",
            effective_from=timezone.localdate().replace(year=timezone.localdate().year + 1),
            response_weight=10,
            resolution_weight=50,
            satisfaction_weight=40,
            basically_satisfied_percent=90,
        ),
        "report_policy": ReportPolicy.current(),
        "lookup_weights": LookupWeights.current(),
        "report_run": _report_run(unit.region),
        "staff_export": _staff_export(users["staff"]),
        **_meetings(users["staff"], unit, other_unit),
        "proposal": DisputeProposal.objects.create(
            region=unit.region, item_code="H2P-900", returning_units=2, reroutes=0, evidence_count=1
        ),
    }
