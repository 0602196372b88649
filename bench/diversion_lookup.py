"""Lookup latency over 1,000 queries against 南通's list, beside a plain icontains scan.

Target: p95 <= 5 ms in-process. The baseline is what a naive implementation would do:
an ``icontains`` query per query against the same list (which finds far less, too).
"""

import random
import time

from _setup import percentile, setup

setup()

from django.db.models import Q  # noqa: E402

from apps.directory.models import Region  # noqa: E402
from apps.diversion.lookup import list_in_force, lookup  # noqa: E402

QUERIES = 1_000
region = Region.objects.get(division_code="320600")
nantong = list_in_force(region)  # other benchmarks may have made more versions
items = list(nantong.items.all())
random.seed(12345)
# Caller-like queries: fragments of real matters plus everyday phrasings.
phrases = [
    "小区里有人遛狗不牵绳",
    "路灯晚上不亮",
    "楼上装修太吵",
    "有人打架",
    "井盖丢了",
    "工地半夜施工",
    "被人骗了钱",
    "门口乱停车",
]


def fragment(text):
    start = random.randrange(max(1, len(text) - 6))
    return text[start : start + 6]


queries = [
    random.choice(phrases) if i % 4 == 0 else fragment(random.choice(items).matter)
    for i in range(QUERIES)
]


def timed(run):
    samples = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def ranked_lookup(query):
    return lookup(region, query, limit=10)


def icontains_scan(query):
    text = (
        Q(matter__icontains=query) | Q(subcategory__icontains=query) | Q(category__icontains=query)
    )
    return list(nantong.items.filter(text)[:10])


lookup(region, "预热")  # build the index once, as a running server would have
ours, baseline = timed(ranked_lookup), timed(icontains_scan)
found = sum(bool(ranked_lookup(q)[1]) for q in queries)
found_base = sum(bool(icontains_scan(q)) for q in queries)
print(f"lookup over {QUERIES} queries against {len(items)} items of 南通's list")
print(
    f"  ranked lookup : p50 {percentile(ours, 0.5):6.3f} ms  p95 {percentile(ours, 0.95):6.3f} ms"
    f"  answered {found}/{QUERIES}"
)
print(
    f"  icontains scan: p50 {percentile(baseline, 0.5):6.3f} ms  p95 "
    f"{percentile(baseline, 0.95):6.3f} ms  answered {found_base}/{QUERIES}"
)
print(
    f"  ratio p95 ranked/icontains: {percentile(ours, 0.95) / percentile(baseline, 0.95):.2f}"
    f"  (target p95 <= 5 ms: {'met' if percentile(ours, 0.95) <= 5 else 'NOT met'})"
)
