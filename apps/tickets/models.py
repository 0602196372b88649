import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Platform
from apps.core.models import SingletonModel
from apps.core.serials import YearNumbered
from apps.directory.models import LinkageTier

from .lifecycle import (
    MILESTONE_FIELDS,
    OPEN_STATUSES,
    EventType,
    Milestone,
    Status,
    unmet_deadlines,
)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    INTERNET = "internet", _("Internet")
    WALK_IN = "walk_in", _("Walk-in")
    PATROL = "patrol", _("Patrol")


class TransferMethod(models.TextChoices):
    ONE_KEY = "one_key", _("One-key transfer")
    THREE_WAY_CALL = "three_way_call", _("Three-way call")
    SYSTEM_PUSH = "system_push", _("System push")


class Urgency(models.TextChoices):
    GENERAL = "general", _("General")
    URGENT = "urgent", _("Urgent")
    MAJOR = "major", _("Major")


class EventLevel(models.TextChoices):
    GENERAL = "general", _("General (一般)")
    LARGE = "large", _("Large (较大)")
    MAJOR = "major", _("Major (重大)")
    EXTRAORDINARY = "extraordinary", _("Extraordinary (特别重大)")


class Restriction(models.TextChoices):
    SECRET = "secret", _("Classified (涉密)")
    STABILITY = "stability", _("Stability (涉稳)")
    TERRORISM = "terrorism", _("Terrorism (涉恐)")
    CASE = "case", _("Criminal case (涉案)")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Unreachable")


class ReturnReason(models.TextChoices):
    NOT_OUR_DUTY = "not_our_duty", _("Not within our duties")
    WRONG_REGION = "wrong_region", _("Wrong region")
    INSUFFICIENT_INFO = "insufficient_info", _("Insufficient information")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits only."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


# --- Deadline policies ------------------------------------------------------------------


class DeadlinePolicy(models.Model):
    """Deadlines for tickets of an urgency and/or a unit tier.

    For each milestone, of the active policies matching a ticket and giving a rule for
    that milestone, the one with the highest priority decides; on equal priority the
    earlier deadline wins.
    """

    name = models.CharField(_("name"), max_length=100)
    urgency = models.CharField(
        _("urgency"),
        max_length=16,
        choices=Urgency.choices,
        blank=True,
        help_text=_("Empty: tickets of any urgency."),
    )
    linkage_tier = models.PositiveSmallIntegerField(
        _("unit linkage tier"),
        choices=LinkageTier.choices,
        null=True,
        blank=True,
        help_text=_("Empty: units of any tier."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=10,
        help_text=_(
            "Where several policies give a rule for the same milestone, the highest "
            "priority decides."
        ),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The document the figures come from.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["-priority", "name"]

    def __str__(self):
        return self.name


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class Clock(models.TextChoices):
    CALENDAR = "calendar", _("24-hour clock")
    WORKING = "working", _("Working time")


class DeadlineRule(models.Model):
    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="rules"
    )
    milestone = models.CharField(_("milestone"), max_length=16, choices=Milestone.choices)
    amount = models.PositiveIntegerField(_("within"))
    unit = models.CharField(_("unit"), max_length=16, choices=DurationUnit.choices)
    clock = models.CharField(
        _("clock"),
        max_length=16,
        choices=Clock.choices,
        default=Clock.CALENDAR,
        help_text=_("Working time skips nights, weekends and holidays (working days always do)."),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "milestone"], name="one_rule_per_milestone_per_policy"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deadline_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_milestone_display()} {self.amount} {self.get_unit_display()}"

    def clean(self):
        if self.unit == DurationUnit.WORKING_DAYS and self.clock != Clock.WORKING:
            raise ValidationError({"clock": _("Working days are counted in working time.")})


class SupervisionPolicy(SingletonModel):
    """When warnings, supervision notices, escalation and circulars happen (one row)."""

    warning_percent = models.PositiveSmallIntegerField(
        _("warn at (percent of the allowed time)"),
        default=80,
        help_text=_(
            "A warning goes to the liaison when this share of the allowed time has "
            "passed. 0 turns warnings off."
        ),
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate to the leader after (minutes overdue)"),
        default=60,
    )
    circulate_after_minutes = models.PositiveIntegerField(
        _("mark for circular after (minutes overdue)"),
        default=240,
        help_text=_("The ticket is then listed for circular (通报) in the monthly report."),
    )

    class Meta:
        verbose_name = _("supervision policy")
        verbose_name_plural = _("supervision policy")

    def __str__(self):
        return str(_("Supervision policy"))


# --- Tickets ---------------------------------------------------------------------------


def overdue_condition(now=None) -> Q:
    """Past an unmet deadline now: ``next_due_at`` is the earliest one (one index)."""
    return Q(next_due_at__lt=now or timezone.now())


def reached_at(milestone):
    """When the ticket reached ``milestone`` or went past it: a ticket completed without
    a reply, or replied to without an on-site visit, met those deadlines by then. (The
    same rule for one ticket in Python: ``reached_in``.)"""
    order = list(MILESTONE_FIELDS)
    later = [F(MILESTONE_FIELDS[m][1]) for m in order[order.index(milestone) :]]
    return Coalesce(*later) if len(later) > 1 else later[0]


def reached_in(values, milestone):
    """``reached_at`` for one ticket read as a mapping (a ``values()`` row): when it
    reached ``milestone`` or went past it, or None."""
    order = list(MILESTONE_FIELDS)
    for later in order[order.index(milestone) :]:
        moment = values.get(MILESTONE_FIELDS[later][1])
        if moment is not None:
            return moment
    return None


def late_condition(milestone, now=None) -> Q:
    """Late for ``milestone``: reached after its deadline, or still open, short of it and
    past it (a returned ticket waits for re-routing; its new unit gets new deadlines)."""
    due, _met = MILESTONE_FIELDS[milestone]
    reached = reached_at(milestone)
    return Q(**{f"{due}__isnull": False}) & (
        Q(GreaterThan(reached, F(due)))
        | Q(
            IsNull(reached, True), status__in=OPEN_STATUSES, **{f"{due}__lt": now or timezone.now()}
        )
    )


class TicketQuerySet(models.QuerySet):
    def overdue(self, now=None):
        return self.filter(overdue_condition(now))

    def not_overdue(self, now=None):
        return self.exclude(overdue_condition(now))

    def due_soon(self, now=None):
        """Open, not yet overdue, and warned: the deadline warning of the current routing
        round has been issued (its share of the time is the supervision policy's)."""
        warned = SupervisionNotice.objects.filter(
            ticket=OuterRef("pk"),
            routing_round=OuterRef("routing_round"),
            level=NoticeLevel.WARNING,
        )
        return self.filter(Exists(warned), status__in=OPEN_STATUSES).not_overdue(now)

    def late(self, milestone, now=None):
        return self.filter(late_condition(milestone, now))

    def visible_to(self, user):
        """Tickets a person may see. Restricted ones (涉密/涉稳/涉恐/涉案) only staff and the
        source platform; otherwise leadership all, a liaison the own unit's, a platform
        client its own and the other platform's."""
        if user.is_command_staff:
            return self
        if user.is_leadership:
            return self.filter(restriction="")
        if user.is_liaison:
            co_tickets = Ticket.co_units.through.objects.filter(unit_id=user.unit_id)
            return self.filter(
                Q(unit_id=user.unit_id) | Q(pk__in=co_tickets.values("ticket_id")), restriction=""
            )
        if user.platform:
            return self.filter(Q(source_platform=user.platform) | Q(restriction=""))
        return self.none()


class Ticket(models.Model):
    """A diverted ticket (工单 from 12345 / 警单 from 110), from receipt to its end."""

    source_platform = models.CharField(_("source platform"), max_length=8, choices=Platform.choices)
    external_id = models.CharField(_("external id"), max_length=64)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_region_received leads with it: one index less to write
    )
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    transfer_method = models.CharField(
        _("transfer method"), max_length=16, choices=TransferMethod.choices
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    event_level = models.CharField(
        _("event level"), max_length=16, choices=EventLevel.choices, blank=True
    )
    needs_on_site = models.BooleanField(_("needs staff on site"), default=False)
    diversion_item = models.ForeignKey(
        "diversion.DiversionItem",
        verbose_name=_("diversion item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    diversion_list = models.ForeignKey(
        "diversion.DiversionList",
        verbose_name=_("list in force at receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_unit_received leads with it
    )
    co_units = models.ManyToManyField(
        "directory.Unit", verbose_name=_("co-units"), blank=True, related_name="co_tickets"
    )
    summary = models.TextField(_("summary"))
    caller_phone = models.CharField(_("caller phone"), max_length=20, blank=True)
    restriction = models.CharField(
        _("restricted"),
        max_length=16,
        choices=Restriction.choices,
        blank=True,
        help_text=_(
            "Restricted tickets are seen only by command-centre staff and the source platform."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TRANSFERRED
    )
    routing_round = models.PositiveSmallIntegerField(
        _("routing round"), default=1, help_text=_("1 for the first unit; +1 per re-routing.")
    )

    transferred_at = models.DateTimeField(_("transferred at"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(
        _("return reason"), max_length=32, choices=ReturnReason.choices, blank=True
    )
    return_note = models.TextField(_("return note"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=24, choices=Rating.choices, blank=True)

    sign_by = models.DateTimeField(_("sign by"), null=True, blank=True)
    arrive_by = models.DateTimeField(_("arrive by"), null=True, blank=True)
    reply_by = models.DateTimeField(_("reply by"), null=True, blank=True)
    complete_by = models.DateTimeField(_("complete by"), null=True, blank=True)
    # When the warning for each milestone falls due, computed with the deadlines.
    warn_at = models.JSONField(_("warnings due"), default=dict, blank=True)
    # The earliest deadline not yet met: "overdue" is next_due_at < now (one index).
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    # When the overdue scan must look at this ticket next (warning, deadline, escalation).
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    circular_at = models.DateTimeField(
        _("marked for circular at"),
        null=True,
        blank=True,
        help_text=_("Listed for circular (通报) in the monthly report."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_platform", "external_id"],
                name="ticket_external_id_unique_per_platform",
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="ticket_received"),
            models.Index(fields=["region", "-received_at"], name="ticket_region_received"),
            models.Index(fields=["unit", "-received_at"], name="ticket_unit_received"),
            models.Index(fields=["status", "-received_at"], name="ticket_status_received"),
            models.Index(fields=["urgency", "-received_at"], name="ticket_urgency_received"),
            models.Index(
                fields=["next_due_at"],
                name="ticket_next_due",
                condition=Q(next_due_at__isnull=False),
            ),
            models.Index(
                fields=["next_check_at"],
                name="ticket_next_check",
                condition=Q(next_check_at__isnull=False),
            ),
            models.Index(
                fields=["circular_at"],
                name="ticket_circular",
                condition=Q(circular_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_source_platform_display()} {self.external_id}"

    @property
    def masked_caller_phone(self):
        return mask_phone(self.caller_phone)

    @property
    def is_restricted(self):
        return bool(self.restriction)

    def is_overdue(self, now=None) -> bool:
        """The row-level form of ``TicketQuerySet.overdue``."""
        return self.next_due_at is not None and self.next_due_at < (now or timezone.now())

    def unmet_deadlines(self):
        """{milestone: deadline} for milestones with a deadline and not yet met."""
        return unmet_deadlines(self)


class TicketEvent(models.Model):
    """Append-only timeline of a ticket, written in the transaction of the change."""

    Type = EventType  # the lifecycle's events, under the name the code knows

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # ticket_event_at leads with it
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    at = models.DateTimeField(_("at"))
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The responsible unit when it happened."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    platform = models.CharField(_("platform"), max_length=8, choices=Platform.choices, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["ticket", "at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="ticket_event_at"),
            models.Index(fields=["type", "unit", "at"], name="ticket_event_type_unit"),
            # What changed since a moment: the reports' rollups refresh from it.
            models.Index(fields=["recorded_at"], name="ticket_event_recorded"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Ticket events are a record and are never changed."))
        super().save(*args, **kwargs)

    def describe(self) -> str:
        """The event in words for the timeline: the unit, and what the event carries."""
        lines = [self.unit.label] if self.unit_id else []
        data = self.data or {}
        if "reason_code" in data:
            reason = dict(ReturnReason.choices).get(data["reason_code"], data["reason_code"])
            lines.append(
                _("Reason: %(reason)s %(text)s")
                % {"reason": reason, "text": data.get("reason_text", "")}
            )
        if data.get("result"):
            lines.append(_("Handling result: %(result)s") % {"result": data["result"]})
        if "rating" in data:
            rating = dict(Rating.choices).get(data["rating"], data["rating"])
            lines.append(_("Rating: %(rating)s") % {"rating": rating})
        if "number" in data:
            level = dict(NoticeLevel.choices).get(data.get("level"), "")
            lines.append(f"{data['number']} {level}".rstrip())
        if "to_unit" in data:
            lines.append(f"{data.get('from_unit', '')} → {data['to_unit']}")
        return "\n".join(str(line) for line in lines)


IDEMPOTENCY_KEY_MAX_LENGTH = 128


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` a platform sent, with what it asked and what it got."""

    platform = models.CharField(max_length=8, choices=Platform.choices)
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "key"], name="idempotency_key_unique_per_platform"
            )
        ]

    def __str__(self):
        return f"{self.platform}:{self.key}"


def attachment_path(attachment, filename):
    # The stored name is ours (ticket and a random part), never the uploaded one.
    return f"tickets/{attachment.ticket_id}/{uuid.uuid4().hex}.{attachment.extension}"


class TicketAttachment(models.Model):
    """A file a unit attached to a handling step (a photo of the site, a scanned reply)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        TicketEvent, verbose_name=_("step"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=64)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


# --- Supervision -----------------------------------------------------------------------


class NoticeLevel(models.TextChoices):
    WARNING = "warning", _("Deadline warning")
    NOTICE = "notice", _("Supervision notice (督办)")
    ESCALATION = "escalation", _("Escalated to the leader in charge")


class SupervisionNoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_command_staff:
            return self
        if user.is_leadership:
            return self.filter(ticket__restriction="")
        if user.is_liaison:
            return self.filter(unit_id=user.unit_id, ticket__restriction="")
        return self.none()


SUPERVISION_SERIES = "督办"


class SupervisionNotice(YearNumbered, models.Model):
    """A numbered warning, supervision notice or escalation about one ticket's milestone.

    Its text, delivery, reading and acknowledgement are its ``notice``'s (the one notice
    system). The scan issues exactly one per (ticket, routing round, milestone, level):
    the unique constraint is what keeps two scans from ever sending the same notice
    twice. Staff may add their own at any time (``issued_by`` set).
    """

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="supervision_notices",
    )
    routing_round = models.PositiveSmallIntegerField(_("routing round"))
    milestone = models.CharField(_("milestone"), max_length=16, choices=Milestone.choices)
    level = models.CharField(_("level"), max_length=16, choices=NoticeLevel.choices)
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
        db_index=False,  # notice_unit_created leads with it
    )
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    notice = models.OneToOneField(
        "notices.Notice",
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="supervision",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the overdue scan."),
    )

    objects = SupervisionNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "routing_round", "milestone", "level"],
                condition=Q(issued_by__isnull=True),
                name="one_scan_notice_per_ticket_round_milestone_level",
            ),
            models.UniqueConstraint(
                fields=["year", "serial"], name="one_supervision_number_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="notice_unit_created"),
        ]

    # 督办〔2026〕000123: the 123rd of the year it was issued.
    number_series, number_digits = SUPERVISION_SERIES, 6

    def __str__(self):
        return self.number


from .export_models import TicketExport  # noqa: E402, F401  (a model of this app)
