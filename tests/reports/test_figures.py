"""Every figure from summed measures and the scheme in force, worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.reports import rollups
from apps.reports.figures import BY_KEY, FIGURES, evaluate
from apps.reports.models import AssessmentScheme
from apps.reports.models.rollups import MEASURES
from apps.reports.selectors import period_rollups, scheme_for, totals

from .conftest import DAY


def measures(**given):
    return {**dict.fromkeys(MEASURES, 0), **given}


@pytest.fixture
def default_scheme(db):
    return scheme_for(date(2026, 12, 31))


def test_the_seeded_default_scheme_is_documented(default_scheme):
    s = default_scheme
    assert (s.response_weight, s.resolution_weight, s.satisfaction_weight) == (30, 35, 35)
    assert s.basically_satisfied_percent == 90 and not s.unreachable_counts
    assert s.response_milestone == "sign" and s.source


def test_the_police_units_day_by_hand(week, region, police, default_scheme):
    rollups.rebuild(DAY, DAY)
    got = evaluate(
        totals(period_rollups(region=region, first=DAY, last=DAY, unit=police)), default_scheme
    )
    assert got["received"] == 2 and got["completed"] == 2
    assert got["sign_on_time"] == Decimal(1) / 2  # a on time, b a minute late
    assert got["response_rate"] == Decimal(1) / 2  # signing, by the scheme
    assert got["resolution_rate"] == 1  # both completed
    assert got["satisfaction_rate"] == Decimal("0.95")  # (1 + 0.9) / 2
    assert got["backflow"] == 1 and got["backflow_rate"] == Decimal(1) / 2
    assert got["arrive_on_time"] is None  # neither needed anyone on site
    # 30 × 0.5 + 35 × 1 + 35 × 0.95
    assert got["composite"] == Decimal("83.25")


def test_unreachable_callers_are_left_out_unless_the_scheme_counts_them(default_scheme):
    t = measures(satisfied=3, dissatisfied=1, unreachable=4, received=8)
    assert evaluate(t, default_scheme)["satisfaction_rate"] == Decimal("0.75")
    default_scheme.unreachable_counts = True
    assert evaluate(t, default_scheme)["satisfaction_rate"] == Decimal("0.375")
    assert evaluate(t, default_scheme)["follow_ups"] == 8


def test_a_rate_without_a_denominator_has_no_value_and_its_weight_is_shared_out(default_scheme):
    # Signed on time 4 of 4, completed 1 of 4, nobody rated yet.
    t = measures(received=4, sign_due=4, signed_on_time=4, completed=1)
    got = evaluate(t, default_scheme)
    assert got["satisfaction_rate"] is None
    # (30 × 1 + 35 × 0.25) / 65 × 100
    assert got["composite"] == (Decimal(30) + Decimal("8.75")) * 100 / 65
    assert evaluate(measures(), default_scheme)["composite"] is None


def test_the_response_milestone_is_the_schemes(default_scheme):
    t = measures(received=2, sign_due=2, signed_on_time=2, arrive_due=2, arrived_on_time=1)
    default_scheme.response_milestone = "arrive"
    assert evaluate(t, default_scheme)["response_rate"] == Decimal("0.5")


def test_every_figure_is_defined_in_words():
    for figure in FIGURES:
        assert figure.label and figure.numerator, figure.key
        if figure.kind == "rate":
            assert figure.denominator, figure.key
    assert set(BY_KEY) == {f.key for f in FIGURES}


def test_the_scheme_in_force_is_the_latest_to_have_taken_effect(default_scheme):
    later = AssessmentScheme.objects.create(
        name="新方案",
        effective_from=date(2027, 1, 1),
        response_weight=10,
        resolution_weight=50,
        satisfaction_weight=40,
        basically_satisfied_percent=90,
    )
    assert scheme_for(date(2026, 12, 31)) == default_scheme
    assert scheme_for(date(2027, 3, 31)) == later
    assert scheme_for(date(2020, 1, 1)) == default_scheme  # before any: the first


def test_weights_must_add_up_to_100(db):
    scheme = AssessmentScheme(
        name="错",
        effective_from=date(2027, 1, 1) + timedelta(days=1),
        response_weight=30,
        resolution_weight=30,
        satisfaction_weight=30,
        basically_satisfied_percent=90,
    )
    with pytest.raises(ValidationError, match="90"):
        scheme.full_clean()
