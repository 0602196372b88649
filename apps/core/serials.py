"""Numbers that run per year (督办〔2026〕000001, 争议〔2026〕001)."""

from django.db import transaction
from django.db.models import F

from .models import YearSerial


def take_serials(*, series: str, year: int, count: int) -> range:
    """``count`` consecutive numbers of the series for the year, never given twice.

    The counter row stays locked by the caller's transaction until it commits, so
    concurrent callers queue for it; a rolled-back caller gives its numbers back.
    """
    if count <= 0:
        return range(0)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Take serials inside the transaction that uses them.")
    YearSerial.objects.bulk_create([YearSerial(series=series, year=year)], ignore_conflicts=True)
    counter = YearSerial.objects.filter(series=series, year=year)
    counter.update(last=F("last") + count)
    last = counter.values_list("last", flat=True).get()
    return range(last - count + 1, last + 1)


class YearNumbered:
    """For a model with ``year`` and ``serial`` fields numbered by ``take_serials``: its
    number as people write it, 督办〔2026〕000123 (``number_series``, then the serial
    padded to ``number_digits``)."""

    number_series: str
    number_digits: int

    @property
    def number(self) -> str:
        return self.format_number(self.year, self.serial)

    @classmethod
    def format_number(cls, year, serial) -> str:
        return f"{cls.number_series}〔{year}〕{serial:0{cls.number_digits}d}"
