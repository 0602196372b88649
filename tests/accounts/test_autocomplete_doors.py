"""Django's autocomplete view answers for any relation to a searchable admin, declared
in ``autocomplete_fields`` or not: every such relation is a door. For every role, it is
refused to whoever may not view the related model, and otherwise answers only with
what that person's own list of the related model shows."""

import json

from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from .test_admin_doors import ROLES, _refused


def _relations():
    """(app label, model name, field name) of one relation to each searchable admin's
    model, and of every relation that limits its choices (those narrow the answer)."""
    found, covered = [], set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.remote_field is None:
                continue
            target = field.remote_field.model
            target_admin = admin.site._registry.get(target)
            if target_admin is None or not target_admin.search_fields:
                continue
            limited = bool(field.get_limit_choices_to())
            if target in covered and not limited:
                continue
            covered.add(target)
            found.append((model._meta.app_label, model._meta.model_name, field.name))
    return found


def test_every_autocomplete_door_answers_only_with_what_the_person_may_see(client, users, objects):
    relations = _relations()
    assert len(relations) >= 5  # units, regions, list items, accounts, tickets, ...
    answered = set()
    problems = []
    for app_label, model_name, field_name in relations:
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        target_admin = admin.site._registry[field.remote_field.model]
        url = reverse("admin:autocomplete") + (
            f"?app_label={app_label}&model_name={model_name}&field_name={field_name}&term="
        )
        for role in ROLES:
            user = users[role]
            client.force_login(user)
            request = RequestFactory().get("/admin/")
            request.user = user
            response = client.get(url)
            door = (role, app_label, model_name, field_name)
            if not (user.is_staff and target_admin.has_view_permission(request)):
                if not _refused(response):
                    problems.append((*door, "answered", response.status_code))
                continue
            if response.status_code != 200:
                problems.append((*door, "refused", response.status_code))
                continue
            shown = {
                str(pk) for pk in target_admin.get_queryset(request).values_list("pk", flat=True)
            }
            ids = {result["id"] for result in json.loads(response.content)["results"]}
            if not ids <= shown:
                problems.append((*door, "shows more than the list", ids - shown))
            answered.add(role)
    assert problems == []
    assert {"staff", "liaison", "leader"} <= answered  # the test reached each admin role
