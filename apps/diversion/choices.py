"""Call-takers' choices on the lookup page, and staff's review of them.

A choice says "for these words, this was the right item". Approved choices teach the
lookup (see ``lookup.py``, step 6); pending and rejected ones change nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import lookup
from .models import ChoiceReview, DiversionItem, LookupChoice

MAX_WORDS = LookupChoice._meta.get_field("words").max_length


def record_choice(*, user, words: str, item: DiversionItem, position: int) -> LookupChoice:
    """Remember that ``user`` picked ``item`` for ``words``; the same pairing picked again
    counts once more on the same row (a conditional UPDATE, so two call-takers picking at
    once both count)."""
    words = lookup.normalise(words)[:MAX_WORDS]
    if not words:
        raise ValidationError(_("Type the caller's words before picking an item."))
    if item.diversion_list.is_draft:
        raise ValidationError(_("Only items of a list in force can be picked."))
    now = timezone.now()
    key = {"region_id": item.diversion_list.region_id, "item_code": item.item_code, "words": words}
    picked = {"item": item, "position": position, "last_picked_at": now, "last_picked_by": user}
    choice, created = LookupChoice.objects.get_or_create(
        **key, defaults={**picked, "first_picked_at": now}
    )
    if not created:
        LookupChoice.objects.filter(pk=choice.pk).update(picks=F("picks") + 1, **picked)
        choice.refresh_from_db()
    return choice


def review_choices(choices, *, approve: bool, reviewer) -> int:
    """Approve or reject choices; an approved choice rejected later stops counting."""
    review = ChoiceReview.APPROVED if approve else ChoiceReview.REJECTED
    changed = choices.exclude(review=review).update(
        review=review, reviewed_by=reviewer, reviewed_at=timezone.now()
    )
    transaction.on_commit(lookup.learned_changed)
    return changed
