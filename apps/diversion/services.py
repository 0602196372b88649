"""The life of a diversion list: draft → published → retired, one in force per region."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import importers
from .models import Direction, DiversionItem, DiversionList, ListStatus
from .signals import list_published


def next_version_number(region) -> int:
    return (DiversionList.objects.filter(region=region).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def create_draft(region, *, title, document_number="", change_note="", based_on=None):
    # Lock the region's lists so two staff creating drafts at once get distinct versions.
    list(DiversionList.objects.select_for_update().filter(region=region).values_list("pk"))
    return DiversionList.objects.create(
        region=region,
        title=title,
        document_number=document_number,
        change_note=change_note,
        based_on=based_on,
        version=next_version_number(region),
        status=ListStatus.DRAFT,
    )


def copy_items(source: DiversionList, target: DiversionList) -> None:
    items = list(source.items.prefetch_related("co_units").order_by("order", "id"))
    copies = DiversionItem.objects.bulk_create(
        DiversionItem(
            diversion_list=target,
            **{
                f: getattr(item, f)
                for f in (
                    "item_code",
                    "direction",
                    "category",
                    "subcategory",
                    "matter",
                    "lead_unit_id",
                    "guidance_hotlines",
                    "keywords",
                    "notes",
                    "order",
                )
            },
        )
        for item in items
    )
    through = DiversionItem.co_units.through
    through.objects.bulk_create(
        through(diversionitem_id=copy.pk, unit_id=unit.pk)
        for item, copy in zip(items, copies, strict=True)
        for unit in item.co_units.all()
    )


@transaction.atomic
def new_version(source: DiversionList) -> DiversionList:
    """A draft copy of ``source`` (usually the published list) to edit."""
    draft = create_draft(
        source.region, title=source.title, document_number=source.document_number, based_on=source
    )
    copy_items(source, draft)
    return draft


@transaction.atomic
def derive_from_parent(region) -> DiversionList:
    """A county's draft pre-filled from its city's list in force."""
    if region.parent is None:
        raise ValidationError(
            _("%(region)s has no parent region to derive from.") % {"region": region.name}
        )
    parent_list = DiversionList.objects.in_force().filter(region=region.parent).first()
    if parent_list is None:
        raise ValidationError(
            _("%(parent)s has no published diversion list.") % {"parent": region.parent.name}
        )
    draft = create_draft(
        region,
        title=_("%(region)s diversion list (derived from %(parent)s)")
        % {"region": region.name, "parent": region.parent.name},
        based_on=parent_list,
    )
    copy_items(parent_list, draft)
    return draft


def publication_problems(diversion_list: DiversionList) -> list[str]:
    """Everything that stops a draft from being published, one sentence each."""
    problems = []
    items = list(
        diversion_list.items.select_related("lead_unit__region")
        .prefetch_related("co_units")
        .order_by("order", "id")
    )
    if not items:
        problems.append(_("The list has no items."))
    matters = Counter((i.direction, i.matter.strip()) for i in items)
    for item in items:
        label = item.item_code
        if not item.matter.strip():
            problems.append(_("%(code)s: the matter is empty.") % {"code": label})
        if not item.category.strip():
            problems.append(_("%(code)s: the category is empty.") % {"code": label})
        if item.matter.strip() and matters[(item.direction, item.matter.strip())] > 1:
            problems.append(
                _("%(code)s: “%(matter)s” appears more than once in “%(direction)s”.")
                % {
                    "code": label,
                    "matter": item.matter,
                    "direction": Direction(item.direction).label,
                }
            )
        units = [item.lead_unit] if item.lead_unit else []
        for unit in [*units, *item.co_units.all()]:
            if problem := diversion_list.unit_problem(unit):
                problems.append(f"{label}: {problem}")
    return problems


@transaction.atomic
def publish(
    diversion_list: DiversionList, *, approved_by, effective_from=None, change_note=None
) -> DiversionList:
    """Validate, retire the region's current version and put this one in force; the
    change note (调整说明), when given, is recorded with it."""
    locked = {
        dl.pk: dl
        for dl in DiversionList.objects.select_for_update().filter(region=diversion_list.region_id)
    }
    draft = locked[diversion_list.pk]
    draft.ensure_editable()
    problems = publication_problems(draft)
    if problems:
        raise ValidationError(problems, code="publication_problems")
    now = timezone.now()
    effective_from = effective_from or now
    for current in locked.values():
        if current.status == ListStatus.PUBLISHED:
            if current.effective_from and current.effective_from >= effective_from:
                raise ValidationError(
                    _(
                        "The version in force took effect on %(date)s; the new one must take "
                        "effect later."
                    )
                    % {"date": timezone.localtime(current.effective_from)}
                )
            current.status, current.effective_to = ListStatus.RETIRED, effective_from
            current.save(update_fields=["status", "effective_to"])
    draft.status, draft.effective_from = ListStatus.PUBLISHED, effective_from
    draft.approved_by, draft.approved_at = approved_by, now
    if change_note is not None:
        draft.change_note = change_note
    draft.save(
        update_fields=["status", "effective_from", "approved_by", "approved_at", "change_note"]
    )
    list_published.send(sender=DiversionList, diversion_list=draft)
    return draft


def save_item(item: DiversionItem) -> DiversionItem:
    """Validate and save an item of a draft; published lists refuse with a clear message."""
    item.full_clean()
    item.save()
    return item


def delete_item(item: DiversionItem) -> None:
    item.diversion_list.ensure_editable()
    item.delete()


@transaction.atomic
def import_new_version(
    region,
    data,
    filename,
    *,
    title=None,
    document_number="",
    publish_now=False,
    effective_from=None,
    approved_by=None,
):
    """A new draft version of the region's list from a file; published if asked."""
    current = DiversionList.objects.in_force().filter(region=region).first()
    draft = create_draft(
        region,
        title=title or (current.title if current else filename),
        document_number=document_number or (current.document_number if current else ""),
        based_on=current,
    )
    importers.apply(data, filename, draft)
    if publish_now:
        publish(draft, approved_by=approved_by, effective_from=effective_from)
    return draft
