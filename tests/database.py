"""What the database holds, to show that a refused request wrote nothing."""

from django.apps import apps
from django.contrib.sessions.models import Session

# Written by signing in, not by the request under test.
IGNORED = {Session: (), apps.get_model("accounts", "User"): ("last_login",)}


def fingerprint() -> dict:
    """Every row of every table, as values (the test database is small)."""
    state = {}
    for model in apps.get_models():
        if model is Session:
            continue
        skip = IGNORED.get(model, ())
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return state
