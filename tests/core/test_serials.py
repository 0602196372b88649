import pytest
from django.db import transaction

from apps.core.serials import take_serials

pytestmark = pytest.mark.django_db


def test_serials_follow_on_and_restart_each_year():
    with transaction.atomic():
        assert list(take_serials(series="督办", year=2026, count=3)) == [1, 2, 3]
        assert list(take_serials(series="督办", year=2026, count=2)) == [4, 5]
        assert list(take_serials(series="督办", year=2027, count=1)) == [1]
        assert list(take_serials(series="争议", year=2026, count=1)) == [1]


def test_a_rolled_back_caller_gives_its_numbers_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        take_serials(series="督办", year=2026, count=5)
        raise RuntimeError("the notices were not issued")
    with transaction.atomic():
        assert list(take_serials(series="督办", year=2026, count=1)) == [1]
