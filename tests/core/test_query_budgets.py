"""Every admin list and change page runs a bounded number of queries at demo scale.

A list shows the same number of queries whether a page holds 2 rows or 100 (no query
per row); a change page stays within a budget. The demo data are what `make demo` makes:
the reference data, demo accounts with their contacts, tickets and the notices of an
overdue scan, disputes and meetings.
"""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.tickets import supervision

# Queries of a change page beyond the session, the user and the role: the object, its
# inlines and choices. Generous, but a query per related row breaks it at demo scale.
CHANGE_PAGE_BUDGET = 40


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("generate_demo_tickets", count=150, seed=7, stdout=io.StringIO())
    supervision.scan_overdue()
    call_command("generate_demo_disputes", stdout=io.StringIO())
    return User.objects.get(username="staff")


def _admins():
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def _listed(model):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


@pytest.mark.parametrize(
    "model", [model for model, _admin in _admins()], ids=lambda m: m._meta.label
)
def test_a_list_costs_the_same_for_2_rows_as_for_100(client, demo, model, monkeypatch):
    client.force_login(demo)
    model_admin = admin.site._registry[model]
    if not model_admin.has_view_permission(_request(demo)):
        pytest.skip("not a staff page")  # superuser-only pages: the group and token admins
    url = reverse(_listed(model))
    counts = {}
    for per_page in (2, 100):
        monkeypatch.setattr(model_admin, "list_per_page", per_page)
        counts[per_page], response = _count(client, url)
    shown = len(response.context["cl"].result_list)
    assert counts[2] == counts[100], (model._meta.label, counts, f"{shown} rows on 100")


@pytest.mark.parametrize(
    "model", [model for model, _admin in _admins()], ids=lambda m: m._meta.label
)
def test_a_change_page_stays_within_its_budget(client, demo, model):
    client.force_login(demo)
    model_admin = admin.site._registry[model]
    request = _request(demo)
    if not model_admin.has_view_permission(request):
        pytest.skip("not a staff page")
    obj = model_admin.get_queryset(request).order_by("-pk").first()
    if obj is None:
        pytest.skip("the demo makes none")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    count, _response = _count(client, url)
    assert count <= CHANGE_PAGE_BUDGET, (model._meta.label, count)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
