"""Assessment schemes in the admin: a new one takes effect in the future, with an on-time
grace per milestone; one in force is kept as it was, its rules with it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import AssessmentScheme, OnTimeRule
from apps.reports.selectors import scheme_for
from tests.factories import AssessmentSchemeFactory

RULES = "on_time_rules"


def scheme_form(effective_from, graces):
    data = {
        "name": "2027年方案",
        "effective_from": f"{effective_from:%Y-%m-%d}",
        "response_weight": 10,
        "resolution_weight": 50,
        "satisfaction_weight": 40,
        "basically_satisfied_percent": 90,
        "response_milestone": "sign",
        "source": "",
        f"{RULES}-TOTAL_FORMS": len(graces),
        f"{RULES}-INITIAL_FORMS": 0,
    }
    for i, (milestone, minutes) in enumerate(graces.items()):
        data[f"{RULES}-{i}-milestone"] = milestone
        data[f"{RULES}-{i}-grace_minutes"] = minutes
    return data


def test_a_scheme_takes_effect_tomorrow_at_the_earliest(db):
    today = timezone.localdate()
    scheme = AssessmentSchemeFactory.build(effective_from=today)
    try:
        scheme.full_clean()
    except ValidationError as error:
        assert list(error.message_dict) == ["effective_from"]
    else:
        raise AssertionError("a scheme taking effect today was accepted")
    scheme.effective_from = today + timedelta(days=1)
    scheme.full_clean()


def test_the_seeded_scheme_names_no_grace_for_any_milestone(db):
    scheme = scheme_for(timezone.localdate())
    assert set(scheme.on_time_rules.values_list("milestone", "grace_minutes")) == {
        ("sign", 0),
        ("arrive", 0),
        ("reply", 0),
        ("complete", 0),
    }
    assert scheme.graces() == {}


def test_staff_add_a_scheme_with_a_grace_per_milestone(client, staff_user):
    client.force_login(staff_user)
    add = reverse("admin:reports_assessmentscheme_add")
    page = client.get(add).content.decode()
    assert page.count('name="on_time_rules-') >= 8  # four milestones, two fields each
    for milestone in ("sign", "arrive", "reply", "complete"):  # one row each, named
        assert f'<option value="{milestone}" selected>' in page
    tomorrow = timezone.localdate() + timedelta(days=1)

    refused = client.post(add, scheme_form(tomorrow - timedelta(days=1), {"sign": 5}))
    assert refused.status_code == 200
    assert "考核方案最早于明天生效。" in refused.content.decode()
    assert not AssessmentScheme.objects.filter(name="2027年方案").exists()

    response = client.post(add, scheme_form(tomorrow, {"sign": 5, "complete": 30}))
    assert response.status_code == 302
    scheme = AssessmentScheme.objects.get(name="2027年方案")
    assert scheme.graces() == {"sign": timedelta(minutes=5), "complete": timedelta(minutes=30)}


def test_the_rules_of_a_scheme_in_force_cannot_be_changed(client, staff_user):
    scheme = scheme_for(timezone.localdate())
    client.force_login(staff_user)
    change = reverse("admin:reports_assessmentscheme_change", args=[scheme.pk])
    page = client.get(change).content.decode()
    assert "on_time_rules-0-grace_minutes" not in page  # shown, not editable
    data = scheme_form(scheme.effective_from, {})
    data[f"{RULES}-TOTAL_FORMS"] = 1
    data[f"{RULES}-0-milestone"] = "sign"
    data[f"{RULES}-0-grace_minutes"] = 60
    assert client.post(change, data).status_code == 403
    assert not OnTimeRule.objects.filter(scheme=scheme, grace_minutes=60).exists()
