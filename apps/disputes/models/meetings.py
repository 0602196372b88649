"""Joint meetings (联席会议): regular quarterly meetings, ad hoc meetings, monthly
exchanges and the annual summary; who was invited and came, the agenda, the minutes and
the action items they leave."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.serials import YearNumbered

MEETING_SERIES = "联席会议"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular quarterly meeting (例会)")
    AD_HOC = "ad_hoc", _("Ad hoc meeting (临时会议)")
    MONTHLY = "monthly", _("Monthly exchange (月交流)")
    ANNUAL = "annual", _("Annual summary (年总结)")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed, agenda sent")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and leadership all; a liaison the meetings the own unit is invited to."""
        if user.is_command_staff or user.is_leadership:
            return self
        if user.is_liaison:
            return self.filter(attendance__unit_id=user.unit_id)
        return self.none()


class JointMeeting(YearNumbered, models.Model):
    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial number"), editable=False)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        choices=[(q, f"Q{q}") for q in range(1, 5)],
        help_text=_("The quarter a regular meeting is for."),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    convener = models.CharField(
        _("convener (召集人)"),
        max_length=200,
        blank=True,
        help_text=_("Name and post, e.g. the deputy mayor in charge."),
    )
    deputy_conveners = models.CharField(
        _("deputy conveners"),
        max_length=400,
        blank=True,
        help_text=_("Names and posts, separated by 、"),
    )
    organiser = models.CharField(_("organising office"), max_length=200, default="联席会议办公室")
    status = models.CharField(
        _("status"), max_length=24, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    minutes = models.TextField(_("meeting minutes"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    agenda_sent_at = models.DateTimeField(_("agenda sent at"), null=True, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: drafted by the schedule before the quarter ends."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="one_meeting_number_per_year"),
            # One regular meeting per region and quarter: the schedule never drafts two.
            models.UniqueConstraint(
                fields=["region", "year", "quarter"],
                condition=Q(kind="regular"),
                name="one_regular_meeting_per_quarter",
            ),
        ]

    # 联席会议〔2026〕03: the third meeting of 2026.
    number_series, number_digits = MEETING_SERIES, 2

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_read_only(self) -> bool:
        """Approved minutes are the record: nothing of the meeting changes after."""
        return self.status == MeetingStatus.MINUTES_APPROVED


class Presence(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    DELEGATED = "delegated", _("Sent a delegate")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """A unit invited to a meeting, and whether (and who) came."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    presence = models.CharField(
        _("attendance"), max_length=16, choices=Presence.choices, default=Presence.INVITED
    )
    attendee = models.CharField(_("who came"), max_length=200, blank=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invited unit")
        verbose_name_plural = _("invited units and attendance")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="one_attendance_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_presence_display()}"

    def clean(self):
        if self.presence in (Presence.ATTENDED, Presence.DELEGATED) and not self.attendee:
            raise ValidationError({"attendee": _("Who came for the unit?")})
        if self.presence == Presence.ABSENT and not self.absence_reason:
            raise ValidationError({"absence_reason": _("Why was the unit absent?")})


class AgendaKind(models.TextChoices):
    DISPUTE = "dispute", _("Jurisdiction dispute")
    ACTION_REVIEW = "action_review", _("Open action item of an earlier meeting")
    TOPIC = "topic", _("Topic")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=16, choices=AgendaKind.choices, default=AgendaKind.TOPIC
    )
    title = models.CharField(_("title"), max_length=300)
    dispute = models.ForeignKey(
        "disputes.JurisdictionDispute",
        verbose_name=_("dispute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    action_item = models.ForeignKey(
        "disputes.ActionItem",
        verbose_name=_("action item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "dispute"],
                condition=Q(dispute__isnull=False),
                name="a_dispute_once_per_agenda",
            ),
            models.UniqueConstraint(
                fields=["meeting", "action_item"],
                condition=Q(action_item__isnull=False),
                name="an_action_once_per_agenda",
            ),
        ]

    def __str__(self):
        return self.title


def minutes_path(attachment, filename):
    return f"minutes/{attachment.meeting_id}/{filename}"


class MinutesAttachment(models.Model):
    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=minutes_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes attachment")
        verbose_name_plural = _("minutes attachments")

    def __str__(self):
        return self.name


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, now=None):
        """Open and past the deadline: the one rule for "overdue" of an action item."""
        return self.open().filter(due_by__lt=now or timezone.now())

    def visible_to(self, user):
        if user.is_command_staff or user.is_leadership:
            return self
        if user.is_liaison:
            return self.filter(owner_id=user.unit_id)
        return self.none()


class ActionItem(models.Model):
    """What a meeting asked a unit to do, by a working day."""

    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="meeting_actions",
    )
    description = models.TextField(_("what is to be done"))
    due_by = models.DateTimeField(
        _("deadline"), help_text=_("The close of a working day in the working calendar.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    update = models.TextField(_("owner's update"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_by", "id"]
        indexes = [models.Index(fields=["status", "due_by"], name="action_status_due")]

    def __str__(self):
        return f"{self.owner}: {self.description[:40]}"

    def is_overdue(self, now=None) -> bool:
        """The row-level form of ``ActionItemQuerySet.overdue``."""
        return self.status == ActionStatus.OPEN and self.due_by < (now or timezone.now())


class MeetingNoticePurpose(models.TextChoices):
    CONFIRM_REMINDER = "confirm_reminder", _("Reminder to confirm the meeting")
    AGENDA = "agenda", _("Agenda")
    ACTION_REMINDER = "action_reminder", _("Action item reminder")
    ACTION_NOTICE = "action_notice", _("Action item supervision notice")
    ACTION_ESCALATION = "action_escalation", _("Action item escalated")


class MeetingNotice(models.Model):
    """A notice the meetings sent: at most one per meeting or action item, purpose and
    day (the unique constraint is what keeps a second beat tick or worker from sending it
    again). Supervision notices about action items are numbered like tickets' (督办)."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="notices"
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=MeetingNoticePurpose.choices)
    on_date = models.DateField(_("date"))
    notice = models.OneToOneField(
        "notices.Notice", verbose_name=_("notice"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting notice")
        verbose_name_plural = _("meeting notices")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "purpose", "on_date"],
                condition=Q(action_item__isnull=True),
                name="one_meeting_notice_per_purpose_and_day",
            ),
            models.UniqueConstraint(
                fields=["action_item", "purpose"],
                condition=Q(action_item__isnull=False),
                name="one_action_notice_per_purpose",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.on_date}"
