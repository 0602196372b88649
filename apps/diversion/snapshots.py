"""Comparable snapshots of diversion items, and the diff between two sets of them.

The same diff serves the import preview (draft vs. file) and version comparison
(version A vs. version B): items are matched by their stable item code.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Direction

# Fields compared between versions, with the labels staff see.
COMPARED_FIELDS = {
    "direction": _("direction"),
    "category": _("category"),
    "subcategory": _("subcategory"),
    "matter": _("matter"),
    "lead_unit": _("lead unit"),
    "co_units": _("co-units"),
    "guidance_hotlines": _("guidance hotline numbers"),
    "keywords": _("keywords"),
    "notes": _("notes"),
}


@dataclass(frozen=True)
class ItemSnapshot:
    item_code: str
    direction: str
    category: str
    subcategory: str
    matter: str
    lead_unit: str
    co_units: str
    guidance_hotlines: str
    keywords: str
    notes: str

    @property
    def direction_label(self):
        return Direction(self.direction).label

    def display(self, name):
        return self.direction_label if name == "direction" else getattr(self, name)


def snapshot_items(items):
    """Snapshots of saved items (prefetch ``lead_unit`` and ``co_units``)."""
    return {
        item.item_code: ItemSnapshot(
            item_code=item.item_code,
            direction=item.direction,
            category=item.category,
            subcategory=item.subcategory,
            matter=item.matter,
            lead_unit=item.lead_unit.name if item.lead_unit else "",
            co_units="、".join(sorted(u.name for u in item.co_units.all())),
            guidance_hotlines=item.guidance_hotlines,
            keywords=item.keywords,
            notes=item.notes,
        )
        for item in items
    }


@dataclass
class ItemChange:
    before: ItemSnapshot
    after: ItemSnapshot
    fields: list = field(default_factory=list)  # (label, before, after)


@dataclass
class ItemDiff:
    added: list
    removed: list
    changed: list

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed)


def diff_snapshots(before: dict, after: dict) -> ItemDiff:
    changed = []
    for code in before.keys() & after.keys():
        old, new = before[code], after[code]
        fields = [
            (label, old.display(name), new.display(name))
            for name, label in COMPARED_FIELDS.items()
            if getattr(old, name) != getattr(new, name)
        ]
        if fields:
            changed.append(ItemChange(old, new, fields))
    return ItemDiff(
        added=sorted((after[c] for c in after.keys() - before.keys()), key=_code_key),
        removed=sorted((before[c] for c in before.keys() - after.keys()), key=_code_key),
        changed=sorted(changed, key=lambda c: _code_key(c.after)),
    )


def _code_key(snapshot):
    return snapshot.item_code
