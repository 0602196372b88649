from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import SingletonModel


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Direction(models.TextChoices):
    HOTLINE_TO_POLICE = "hotline_to_police", _("12345 to 110")
    POLICE_TO_HOTLINE = "police_to_hotline", _("110 to 12345")
    TO_OTHER_HOTLINE = "to_other_hotline", _("Guide to another hotline")
    TO_ENTERPRISE = "to_enterprise", _("Guide to an enterprise")


# How a call-taker passes a call of each direction on (seeds: 南通 §4, 钦州 第十条).
TRANSFER_METHODS = {
    Direction.HOTLINE_TO_POLICE: _(
        "One-key transfer or three-way call to 110; system push for requests not by phone"
    ),
    Direction.POLICE_TO_HOTLINE: _(
        "One-key transfer or three-way call to 12345; system push for requests not by phone"
    ),
    Direction.TO_OTHER_HOTLINE: _("Guide the caller to the hotline below and explain why"),
    Direction.TO_ENTERPRISE: _("Guide the caller to the company's repair line, or transfer"),
}

# Item codes carry their direction, so a code stays meaningful across versions and files.
DIRECTION_CODE_PREFIX = {
    Direction.HOTLINE_TO_POLICE: "H2P",
    Direction.POLICE_TO_HOTLINE: "P2H",
    Direction.TO_OTHER_HOTLINE: "OTH",
    Direction.TO_ENTERPRISE: "ENT",
}


def highest_code_numbers(codes) -> dict:
    """The highest number used per code prefix, e.g. {"H2P": 62, "P2H": 68}."""
    highest = {}
    for code in codes:
        prefix, _sep, number = code.partition("-")
        if number.isdigit():
            highest[prefix] = max(highest.get(prefix, 0), int(number))
    return highest


def format_item_code(direction, number: int) -> str:
    return f"{DIRECTION_CODE_PREFIX[direction]}-{number:03d}"


class DiversionListQuerySet(models.QuerySet):
    def in_force(self, at=None):
        """Lists that were the published version of their region at moment ``at``."""
        at = at or timezone.now()
        return self.exclude(status=ListStatus.DRAFT).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=at), effective_from__lte=at
        )


class DiversionList(models.Model):
    """One version of a region's diversion list (分流转办事项清单)."""

    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="diversion_lists",
    )
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(
        _("issuing document number"),
        max_length=64,
        blank=True,
        help_text=_("e.g. 通政办发〔2023〕9号"),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ListStatus.choices,
        default=ListStatus.DRAFT,
        editable=False,
    )
    effective_from = models.DateTimeField(_("in force from"), null=True, blank=True, editable=False)
    effective_to = models.DateTimeField(
        _("in force until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when a newer version is published; the moment itself is no longer covered."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="derived_versions",
        help_text=_("The previous version, or the parent region's list this one derives from."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    change_note = models.TextField(_("change note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DiversionListQuerySet.as_manager()

    class Meta:
        verbose_name = _("diversion list")
        verbose_name_plural = _("diversion lists")
        ordering = ["region__division_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="list_version_unique"),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(status="published"),
                name="one_published_list_per_region",
                violation_error_message=_("This region already has a published list."),
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "effective_from"])]

    def __str__(self):
        return f"{self.region.name} {self.title}（v{self.version}，{self.get_status_display()}）"

    @property
    def is_draft(self):
        return self.status == ListStatus.DRAFT

    def ensure_editable(self):
        if not self.is_draft:
            raise ValidationError(
                _("%(list)s is %(status)s and cannot be edited. Create a new version to change it.")
                % {"list": self, "status": self.get_status_display()},
                code="list_not_editable",
            )

    def unit_problem(self, unit) -> str | None:
        """Why ``unit`` cannot answer for an item of this list, or None: it must belong to
        the list's region, a region above it, or one of its counties."""
        if self.region.serves(unit.region):
            return None
        return _(
            "%(unit)s belongs to %(unit_region)s, not to %(region)s, a region above it or "
            "one of its counties."
        ) % {"unit": unit.label, "unit_region": unit.region.name, "region": self.region.name}


class DiversionItem(models.Model):
    diversion_list = models.ForeignKey(
        DiversionList,
        verbose_name=_("diversion list"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    item_code = models.CharField(
        _("item code"),
        max_length=32,
        blank=True,
        help_text=_("Stays the same from version to version, e.g. H2P-011."),
    )
    direction = models.CharField(_("direction"), max_length=24, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=64)
    subcategory = models.CharField(_("subcategory"), max_length=64, blank=True)
    matter = models.TextField(_("matter"))
    lead_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_diversion_items",
    )
    co_units = models.ManyToManyField(
        "directory.Unit",
        verbose_name=_("co-units"),
        blank=True,
        related_name="co_diversion_items",
    )
    guidance_hotlines = models.CharField(_("guidance hotline numbers"), max_length=128, blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_(
            "Extra words callers use for this matter, separated by 、 — they help the lookup."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("diversion item")
        verbose_name_plural = _("diversion items")
        ordering = ["diversion_list", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["diversion_list", "item_code"],
                name="item_code_unique_in_list",
                violation_error_message=_("This item code is already used in this list."),
            ),
        ]
        indexes = [models.Index(fields=["diversion_list", "direction", "category"])]

    def __str__(self):
        return f"{self.item_code} {self.subcategory or self.category}"

    def save(self, *args, **kwargs):
        # Published and retired versions are the record of what was in force: never edited.
        self.diversion_list.ensure_editable()
        if not self.item_code:
            taken = self.diversion_list.items.values_list("item_code", flat=True)
            prefix = DIRECTION_CODE_PREFIX[self.direction]
            number = highest_code_numbers(taken).get(prefix, 0) + 1
            self.item_code = format_item_code(self.direction, number)
        super().save(*args, **kwargs)

    def clean(self):
        if self.diversion_list_id:
            self.diversion_list.ensure_editable()
            if self.lead_unit_id and (problem := self.diversion_list.unit_problem(self.lead_unit)):
                raise ValidationError({"lead_unit": problem})

    @property
    def transfer_method(self):
        return TRANSFER_METHODS[self.direction]

    @property
    def guidance_hotline_list(self):
        return [n for n in self.guidance_hotlines.split("、") if n]


class LookupSynonym(models.Model):
    """A caller's word and the word the lists use for it (遛狗 → 遛犬), for the lookup."""

    spoken = models.CharField(_("caller's word"), max_length=32, unique=True)
    listed = models.CharField(_("word in the lists"), max_length=32)

    class Meta:
        verbose_name = _("lookup synonym")
        verbose_name_plural = _("lookup synonyms")
        ordering = ["spoken"]

    def __str__(self):
        return f"{self.spoken} → {self.listed}"


def _weight(label, default, help_text):
    return models.FloatField(
        label, default=default, validators=[MinValueValidator(0)], help_text=help_text
    )


class LookupWeights(SingletonModel):
    """How the lookup ranks a list's items (``lookup``'s module text says how each counts);
    the defaults are what the benchmark's colloquial phrasings were tuned on."""

    subcategory = _weight(_("subcategory"), 3.0, _("Weight of a word pair found here."))
    keywords = _weight(_("keywords"), 2.0, _("Weight of a word pair found here."))
    category = _weight(_("category"), 1.5, _("Weight of a word pair found here."))
    matter = _weight(_("matter"), 1.0, _("Weight of a word pair found here."))
    notes = _weight(_("notes"), 0.5, _("Weight of a word pair found here."))
    learned = _weight(
        _("learned words"), 2.0, _("Weight of the words call-takers picked an item for.")
    )
    subcategory_bonus = _weight(
        _("whole subcategory said"),
        3.0,
        _("Added per character when the caller says an item's whole subcategory."),
    )
    single_character = _weight(
        _("single characters"), 0.25, _("Share of a pair's weight a single character counts.")
    )
    least_share_of_best = _weight(
        _("least share of the best score"),
        0.15,
        _("Results scoring below this share of the best are left out (0.15: 15%)."),
    )

    class Meta:
        verbose_name = _("lookup weights")
        verbose_name_plural = _("lookup weights")

    # The item fields weighted by the fields of the same name.
    ITEM_FIELDS = ("subcategory", "keywords", "category", "matter", "notes")

    def __str__(self):
        return str(_("Lookup weights"))


class ChoiceReview(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class LookupChoiceQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(review=ChoiceReview.APPROVED)


class LookupChoice(models.Model):
    """The item call-takers picked for a caller's words on the lookup page.

    Once staff approve it, the words count for that item in later lookups of the same
    region — by item code, so a choice outlives the list version it was made on. The same
    words picked again for the same item add to ``picks`` rather than a new row, so staff
    review each pairing once.
    """

    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("list region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        DiversionItem,
        verbose_name=_("diversion item"),
        on_delete=models.CASCADE,
        related_name="lookup_choices",
        help_text=_("The item as it stood in the list version in force at the last pick."),
    )
    item_code = models.CharField(_("item code"), max_length=32)
    words = models.CharField(
        _("caller's words"),
        max_length=200,
        help_text=_("As typed, without punctuation or spaces."),
    )
    picks = models.PositiveIntegerField(_("times picked"), default=1)
    position = models.PositiveSmallIntegerField(
        _("position in the results"),
        help_text=_("Where the item stood at the last pick; 1 is the first result shown."),
    )
    first_picked_at = models.DateTimeField(_("first picked at"), default=timezone.now)
    last_picked_at = models.DateTimeField(_("last picked at"), default=timezone.now)
    last_picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last picked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review = models.CharField(
        _("review"), max_length=16, choices=ChoiceReview.choices, default=ChoiceReview.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = LookupChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("call-taker's choice")
        verbose_name_plural = _("call-takers' choices")
        ordering = ["-last_picked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "item_code", "words"], name="lookup_choice_once"
            ),
        ]
        indexes = [models.Index(fields=["region", "review", "reviewed_at"])]

    def __str__(self):
        return f"{self.words} → {self.item_code}"
