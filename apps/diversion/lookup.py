"""Finding the right diversion item from what a caller says.

How ranking works
-----------------
Chinese is written without spaces, so text is cut into overlapping character pairs
(bigrams): "路灯晚上不亮" → 路灯 灯晚 晚上 上不 不亮. Every item of the list in force is
indexed by the bigrams of its subcategory, category, matter, keywords and notes.

1. The query is normalised (punctuation and spaces dropped) and expanded with the
   lookup synonyms staff maintain in the admin (遛狗 → 遛犬, 狗 → 犬): both the caller's
   words and the listed words count.
2. Each query bigram found in an item adds ``field weight × idf``: the field weight says
   how telling the field is (by default subcategory 3, keywords 2, category 1.5, matter
   1, notes 0.5); idf = ln(1 + N / items containing the bigram), so a pair found in few
   items (遛犬) counts far more than one found everywhere (举报).
3. Single characters count too, by default at a quarter of the weight, so that a caller
   who says 假烟 still reaches 烟草警情 when no pair of characters matches.
4. An item whose whole subcategory appears in the query gets a bonus of (by default)
   3 × its length.
5. Items are returned by score, best first; ties keep the list's own order. Items
   scoring under (by default) 15% of the best are dropped: they share only stray
   characters.
6. Learned choices: the caller's words a call-taker picked an item for on the lookup
   page (``LookupChoice``), once staff approve them, are indexed as one more field of
   that item (by default weight 2, like keywords) in every later version of the
   region's list. The next caller who says 下水道堵了冒臭水 then reaches 污水漫溢 though
   the list never says 下水道.

Every weight above is the office's to tune (``LookupWeights``, 检索权重 in the admin).

Published and retired lists never change, so each list's index is built once per
process and kept (an LRU cache by list, the state of the region's approved choices and
the weights, which each process re-reads every ``LOOKUP_LEARNING_CACHE_SECONDS``).
Units do change (a new duty phone), so they are never cached: each answer reads its
results' units fresh. A lookup costs three small queries — the list in force, the lead
units and the co-units — plus arithmetic over the postings, however many results it
returns.
"""

import copy
import math
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Max, Prefetch, prefetch_related_objects
from django.utils import timezone

from apps.core.process_cache import ProcessCache
from apps.directory.models import Region, Unit

from .models import DiversionItem, DiversionList, LookupChoice, LookupSynonym, LookupWeights

SYNONYM_TTL_SECONDS = 60
_NOT_TEXT = re.compile(r"[^\w]|_", re.UNICODE)


def normalise(text: str) -> str:
    return _NOT_TEXT.sub("", text or "").lower()


def grams(text: str) -> set[str]:
    """The text's character pairs and single characters."""
    text = normalise(text)
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class Weights:
    """``LookupWeights`` as one hashable value: a list's index is built per value."""

    fields: tuple  # (item field, weight) pairs
    learned: float
    subcategory_bonus: float
    single_character: float
    least_share_of_best: float


def _current_weights() -> Weights:
    row = LookupWeights.current()
    return Weights(
        fields=tuple((name, getattr(row, name)) for name in LookupWeights.ITEM_FIELDS),
        learned=row.learned,
        subcategory_bonus=row.subcategory_bonus,
        single_character=row.single_character,
        least_share_of_best=row.least_share_of_best,
    )


# An edit reaches this process at once (``weights_changed``), others within seconds.
_weights = ProcessCache(_current_weights, seconds=lambda: settings.LOOKUP_LEARNING_CACHE_SECONDS)


def weights_changed() -> None:
    _weights.refresh()


@dataclass
class ListIndex:
    items: list
    postings: dict  # bigram -> {item position: field weight}
    idf: dict
    subcategories: list
    weights: Weights


def build_index(diversion_list_id: int, region_id: int, weights: Weights) -> ListIndex:
    items = list(
        DiversionItem.objects.filter(diversion_list_id=diversion_list_id).order_by("order", "id")
    )
    learned = defaultdict(list)
    for code, words in (
        LookupChoice.objects.approved()
        .filter(region_id=region_id)
        .values_list("item_code", "words")
    ):
        learned[code].append(words)
    postings = defaultdict(dict)

    def post(text, position, weight):
        if weight <= 0:
            return  # a field the office's weights leave out
        for gram in grams(text):
            if postings[gram].get(position, 0) < weight:
                postings[gram][position] = weight

    for position, item in enumerate(items):
        for field, weight in weights.fields:
            post(getattr(item, field), position, weight)
        for words in learned.get(item.item_code, ()):
            post(words, position, weights.learned)
    total = len(items) or 1
    idf = {
        gram: math.log(1 + total / len(hits))
        * (weights.single_character if len(gram) == 1 else 1.0)
        for gram, hits in postings.items()
    }
    subcategories = [normalise(i.subcategory) for i in items]
    return ListIndex(items, dict(postings), idf, subcategories, weights)


@lru_cache(maxsize=256)
def index_for(
    diversion_list_id: int, region_id: int, learned_state: tuple, weights: Weights
) -> ListIndex:
    # Only lists that are or were in force are looked up, and those are read-only; a
    # review of the region's choices changes ``learned_state``, an edit of the weights
    # ``weights``, and so the key.
    return build_index(diversion_list_id, region_id, weights)


_synonyms = {"loaded_at": 0.0, "pairs": ()}


def synonyms():
    """Staff-maintained synonyms, re-read at most once a minute by each process."""
    if time.monotonic() - _synonyms["loaded_at"] > SYNONYM_TTL_SECONDS:
        _synonyms["pairs"] = tuple(LookupSynonym.objects.values_list("spoken", "listed"))
        _synonyms["loaded_at"] = time.monotonic()
    return _synonyms["pairs"]


def expand(query: str) -> set[str]:
    query = normalise(query)
    variants = {query}
    for spoken, listed in synonyms():
        variants |= {v.replace(spoken, listed) for v in variants if spoken in v}
    found = set()
    for variant in variants:
        found |= grams(variant)
    return found


def list_in_force(region: Region, at=None) -> DiversionList | None:
    """The list in force for a region, or its nearest ancestor's (a county falls back to the
    city's list)."""
    lineage = region.lineage()
    found = {
        dl.region_id: dl
        for dl in DiversionList.objects.in_force(at)
        .filter(region__in=lineage)
        .select_related("region")
    }
    return next((found[r.pk] for r in lineage if r.pk in found), None)


def _learned_states() -> dict:
    """Per region: how many choices are approved and when the last review was. Every
    approval adds one or moves the time, every withdrawal removes one."""
    return {
        row["region_id"]: (row["n"], row["last"])
        for row in LookupChoice.objects.approved()
        .order_by()
        .values("region_id")
        .annotate(n=Count("id"), last=Max("reviewed_at"))
    }


# A review reaches this process at once (``learned_changed``), others within seconds.
_learned = ProcessCache(_learned_states, seconds=lambda: settings.LOOKUP_LEARNING_CACHE_SECONDS)


def learned_changed() -> None:
    _learned.refresh()


@dataclass
class Match:
    item: DiversionItem
    score: float


def rank(index: ListIndex, query: str, direction=None, limit=10) -> list[Match]:
    scores = defaultdict(float)
    for gram in expand(query):
        hits = index.postings.get(gram)
        if hits:
            idf = index.idf[gram]
            for position, weight in hits.items():
                scores[position] += weight * idf
    normalised = normalise(query)
    for position, subcategory in enumerate(index.subcategories):
        if subcategory and subcategory in normalised:
            scores[position] += index.weights.subcategory_bonus * len(subcategory)
    ranked = sorted(
        (
            (score, position)
            for position, score in scores.items()
            if direction is None or index.items[position].direction == direction
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    floor = ranked[0][0] * index.weights.least_share_of_best if ranked else 0
    return [
        Match(index.items[position], round(score, 3))
        for score, position in ranked[:limit]
        if score >= floor
    ]


def with_current_units(matches: list[Match]) -> list[Match]:
    """The matches on copies of their items that carry today's units (two queries)."""
    items = [copy.copy(match.item) for match in matches]
    prefetch_related_objects(
        items,
        Prefetch("lead_unit", queryset=Unit.objects.all()),
        Prefetch("co_units", queryset=Unit.objects.all()),
    )
    return [Match(item, match.score) for item, match in zip(items, matches, strict=True)]


def lookup(region: Region, query: str, *, direction=None, limit=10, at=None):
    """(list in force, best matches) for a caller's words in a region."""
    diversion_list = list_in_force(region, at or timezone.now())
    if diversion_list is None:
        return None, []
    return diversion_list, with_current_units(rank(_index(diversion_list), query, direction, limit))


def _index(diversion_list) -> ListIndex:
    state = _learned.get().get(diversion_list.region_id, (0, None))
    return index_for(diversion_list.pk, diversion_list.region_id, state, _weights.get())


def matching_item_ids(query: str, *, limit=10) -> list[int]:
    """The items of every list in force that the ranking finds for ``query``, for
    searches across regions (the admin's item list)."""
    return [
        match.item.pk
        for diversion_list in DiversionList.objects.in_force()
        for match in rank(_index(diversion_list), query, None, limit)
    ]
