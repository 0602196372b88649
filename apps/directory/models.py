from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.models import SingletonModel

from .validators import (
    split_numbers,
    validate_credit_code,
    validate_division_code,
    validate_hotline_numbers,
    validate_mobile,
    validate_phone,
)


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City / prefecture")
    COUNTY = "county", _("County")
    DISTRICT = "district", _("District")


class Region(models.Model):
    name = models.CharField(_("name"), max_length=64)
    division_code = models.CharField(
        _("administrative division code"),
        max_length=6,
        unique=True,
        validators=[validate_division_code],
        help_text=_("6-digit GB/T 2260 code, e.g. 320600 for 南通市."),
    )
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["division_code"]

    def __str__(self):
        return f"{self.name}（{self.division_code}）"

    def clean(self):
        code, level = self.division_code or "", self.level
        if len(code) != 6:
            return  # the field validator already reported the format
        if level == RegionLevel.PROVINCE and not code.endswith("0000"):
            raise ValidationError(
                {"division_code": _("A province's division code ends in 0000, e.g. 320000.")}
            )
        if level == RegionLevel.CITY and (code.endswith("0000") or not code.endswith("00")):
            raise ValidationError(
                {"division_code": _("A city's division code ends in 00 but not 0000, e.g. 320600.")}
            )
        if level in (RegionLevel.COUNTY, RegionLevel.DISTRICT) and code.endswith("00"):
            raise ValidationError(
                {"division_code": _("A county or district code does not end in 00, e.g. 653024.")}
            )
        if self.parent_id:
            parent = self.parent
            if parent.pk == self.pk:
                raise ValidationError({"parent": _("A region cannot be its own parent.")})
            prefix = 4 if parent.level == RegionLevel.CITY else 2
            if parent.division_code[:prefix] != code[:prefix]:
                raise ValidationError(
                    {
                        "parent": _(
                            "%(child)s cannot lie in %(parent)s: the codes do not share "
                            "the parent's prefix."
                        )
                        % {"child": code, "parent": parent}
                    }
                )

    def lineage(self):
        """This region and its ancestors, nearest first (counties fall back to the city)."""
        region, chain = self, []
        while region is not None:
            chain.append(region)
            region = region.parent
        return chain

    def subtree_ids(self) -> list[int]:
        """This region's id and those of all regions under it (a city with its counties);
        kept on the instance, as a report asks it for every figure."""
        if getattr(self, "_subtree_ids", None) is None:
            ids, level = [self.pk], [self.pk]
            while level:
                level = list(
                    Region.objects.filter(parent_id__in=level).values_list("pk", flat=True)
                )
                ids.extend(level)
            self._subtree_ids = ids
        return list(self._subtree_ids)

    def serves(self, other) -> bool:
        """Whether a unit of ``other`` may answer for this region: the region itself, one
        of its parents (a provincial or city unit), or one of its own counties."""
        return other in self.lineage() or self in other.lineage()


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    POLICE = "police", _("Police")
    ENTERPRISE = "enterprise", _("Public utility or enterprise")
    HOTLINE_CENTRE = "hotline_centre", _("Hotline centre")
    OTHER = "other", _("Other")


class LinkageTier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1: 24-hour response, on site within 30 minutes")
    TIER_2 = 2, _("Tier 2: 24-hour response")
    TIER_3 = 3, _("Tier 3: within working hours")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Units whose full record (beyond the public directory) the user may see."""
        if user.is_command_staff or user.is_leadership:
            return self
        if user.is_liaison:
            return self.filter(pk=user.unit_id)
        return self.none()

    def with_contacts_confirmed_at(self):
        """Annotate the oldest confirmation among the unit's current contacts."""
        return self.annotate(
            contacts_confirmed_at=Min(
                "contacts__last_confirmed_at", filter=Q(contacts__valid_to__isnull=True)
            )
        )

    @staticmethod
    def _stale_condition(now=None, days=None):
        """Contacts not confirmed within the period (on ``with_contacts_confirmed_at``)."""
        days = ContactConfirmationPolicy.current().confirm_every_days if days is None else days
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return Q(contacts_confirmed_at__lt=cutoff) | Q(contacts_confirmed_at__isnull=True)

    def stale(self, now=None, days=None):
        """Units with a current contact not confirmed within the confirmation period."""
        return self.active().with_contacts_confirmed_at().filter(self._stale_condition(now, days))

    def with_contacts_stale(self):
        """Annotate ``contacts_stale``: the policy read once for the whole list."""
        return self.with_contacts_confirmed_at().annotate(
            contacts_stale=ExpressionWrapper(self._stale_condition(), output_field=BooleanField())
        )


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):
    """Units come with their region: a unit is always shown as 名称（地区）."""

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.GOVERNMENT
    )
    linkage_tier = models.PositiveSmallIntegerField(
        _("linkage tier"),
        choices=LinkageTier.choices,
        default=LinkageTier.TIER_3,
        help_text=_(
            "Tier 1: 24-hour real-time response, on site within 30 minutes when staff must "
            "attend; tier 2: 24-hour real-time response; tier 3: receives instructions within "
            "working hours (通政办发〔2023〕9号)."
        ),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters; the last is a check character per GB 32100."),
    )
    duty_phone = models.CharField(
        _("24-hour duty phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    hotline_numbers = models.CharField(
        _("public hotline numbers"),
        max_length=128,
        blank=True,
        validators=[validate_hotline_numbers],
        help_text=_("Separate several with 、 e.g. 12369、95598."),
    )
    scope = models.TextField(_("scope of duties"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    contacts_reminded_at = models.DateTimeField(
        _("contacts last reminded at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["contacts_reminded_at", "updated_at"])
    objects = UnitManager()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["region__division_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="unit_name_unique_in_region",
                violation_error_message=_("A unit of this name already exists in this region."),
            )
        ]

    def __str__(self):
        """With the region: four units are called 市公安局 (load it with select_related)."""
        return self.label

    @staticmethod
    def label_for(name: str, region_name: str) -> str:
        """How a unit is named wherever units of several regions meet: 市公安局（南通市）."""
        return f"{name}（{region_name}）"

    @property
    def label(self) -> str:
        return self.label_for(self.name, self.region.name)

    @property
    def hotline_number_list(self):
        return split_numbers(self.hotline_numbers)

    def current_contact(self, role):
        return self.contacts.current().filter(role=role).first()


class ContactRole(models.TextChoices):
    LEADER = "leader", _("Leader in charge")
    LIAISON = "liaison", _("Liaison")
    OFFICER = "officer", _("Responsible officer")
    DUTY = "duty", _("Duty officer")


# Roles a unit names exactly one current person for.
SINGLE_HOLDER_ROLES = (ContactRole.LEADER, ContactRole.LIAISON)


class ContactQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)


class Contact(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    position = models.CharField(_("position"), max_length=64, blank=True)
    office_phone = models.CharField(
        _("office phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("email"), blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Empty while the person holds the role; set when replaced."),
    )
    last_confirmed_at = models.DateTimeField(
        _("last confirmed at"), default=timezone.now, editable=False
    )

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["unit", "role", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "role"],
                condition=Q(valid_to__isnull=True, role__in=["leader", "liaison"]),
                name="one_current_leader_and_liaison_per_unit",
                violation_error_message=_(
                    "This unit already has a current holder of this role. Use “Replace "
                    "person” to hand the role to someone else."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="contact_valid_to_after_valid_from",
                violation_error_message=_("“Valid to” cannot be before “valid from”."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def is_current(self):
        return self.valid_to is None


class ContactConfirmationPolicy(SingletonModel):
    """How often liaisons must confirm their unit's contacts are current (one row)."""

    confirm_every_days = models.PositiveIntegerField(
        _("confirm contacts every (days)"),
        default=90,
        help_text=_(
            "A unit whose contacts were not confirmed for this many days is flagged "
            "and its liaison reminded once per period."
        ),
    )

    class Meta:
        verbose_name = _("contact confirmation policy")
        verbose_name_plural = _("contact confirmation policy")

    def __str__(self):
        return str(_("Confirm contacts every %(days)d days") % {"days": self.confirm_every_days})
