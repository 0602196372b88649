"""Every admin action, for every role: allowed and effective, or refused with nothing
written. An action is a POST to a list page, so it is a door like any URL; a test fails
when an admin has an action the matrix does not name."""

from datetime import timedelta
from io import BytesIO

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.accounts.test_admin_doors import MODEL_DOORS, ROLES
from tests.database import fingerprint

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (model admin, action, object, roles it works for, extra form data). "Works" means it
# writes (or, for an export, answers a spreadsheet holding the object); for everyone
# else nothing is written and the object is in no spreadsheet. A library's action on
# rows the fixture does not make due (expired sign-in attempts) is checked for refusal
# only.
ACTION_DOORS = [
    ("directory.unit", "confirm_contacts", "own_unit", "staff liaison", {}),
    ("directory.unit", "confirm_contacts", "other_unit", "staff", {}),
    ("notices.notice", "acknowledge", "liaison_notice", "liaison", {}),
    ("tickets.supervisionnotice", "acknowledge", "own_notice", "liaison", {}),
    ("tickets.supervisionnotice", "acknowledge", "other_notice", "", {}),
    ("tickets.ticket", "export_xlsx", "own_ticket", "staff liaison leader", {}),
    ("tickets.ticket", "export_xlsx", "other_ticket", "staff leader", {}),
    ("tickets.ticket", "send_supervision_notice", "own_ticket", "staff", {"text": "门禁督办"}),
    ("tickets.ticket", "reroute", "own_ticket", "staff", {"unit": "other_unit"}),
    *[
        ("diversion.lookupchoice", action, "lookup_choice", "staff", {})
        for action in ("approve", "reject")
    ],
    ("disputes.disputeproposal", "confirm", "proposal", "staff", {}),
    ("reports.reportrun", "rerun", "report_run", "staff leader", {}),
    ("disputes.disputeproposal", "dismiss", "proposal", "staff", {"reason": "门禁驳回"}),
    ("accounts.signinlock", "cleanup_expired_attempts", "access_attempt", "staff", None),
    # Staff switch the office's schedules on and off. Enabling the enabled task and
    # running one now (it sends a task) change nothing here: checked for refusal only.
    *[
        ("django_celery_beat.periodictask", action, "periodic_task", "staff", {})
        for action in ("disable_tasks", "toggle_tasks")
    ],
    ("django_celery_beat.periodictask", "enable_tasks", "periodic_task", "staff", None),
    ("django_celery_beat.periodictask", "run_tasks", "periodic_task", "staff", None),
]


def _post(client, model, action, obj, data, objects):
    app_label, model_name = model.split(".")
    form = {k: objects[v].pk if v in objects else v for k, v in (data or {}).items()}
    return client.post(
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        {"action": action, "_selected_action": [obj.pk], "post": "yes", **form},
    )


@pytest.mark.parametrize(("model", "action", "key", "allowed", "data"), ACTION_DOORS)
def test_action_doors(client, users, objects, model, action, key, allowed, data):
    for role in ROLES:
        client.force_login(users[role])
        before = fingerprint()
        response = _post(client, model, action, objects[key], data, objects)
        exported = _exports(response, objects[key])
        if role in allowed.split():
            if data is not None:
                assert exported or fingerprint() != before, (role, model, action, key)
            continue
        assert not exported, (role, model, action, key)
        assert fingerprint() == before, (role, model, action, key)


def _exports(response, obj):
    """Whether the answer is a spreadsheet naming the object (its external id)."""
    if response.get("Content-Type") != XLSX:
        return False
    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return any(obj.external_id in map(str, row) for row in sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(("model", "key"), list(MODEL_DOORS))
def test_bulk_delete_only_where_delete_is_allowed(client, users, objects, model, key):
    for role in ROLES:
        if "D" in MODEL_DOORS[(model, key)].get(role, ""):
            continue
        client.force_login(users[role])
        before = fingerprint()
        _post(client, model, "delete_selected", objects[key], {}, objects)
        assert fingerprint() == before, (role, model, key)


def test_every_admin_action_is_in_the_matrix():
    named = {(model, action) for model, action, *_rest in ACTION_DOORS}
    missing = {
        (model._meta.label_lower, action)
        for model, model_admin in admin.site._registry.items()
        for action in (model_admin.actions or ())
        if (model._meta.label_lower, action) not in named
    }
    assert not missing, f"admin actions without a row in the matrix: {sorted(missing)}"


def test_staff_clean_up_expired_sign_in_attempts(client, staff_user):
    old = AccessAttempt.objects.create(
        username="old", ip_address="10.0.0.8", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=2))
    fresh = AccessAttempt.objects.create(
        username="new", ip_address="10.0.0.7", failures_since_start=5
    )
    client.force_login(staff_user)
    response = _post(client, "accounts.signinlock", "cleanup_expired_attempts", fresh, {}, {})
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["new"]
