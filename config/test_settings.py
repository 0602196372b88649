"""Settings for the test suite: the real settings, in development mode, with fast hashing."""

import os

os.environ.setdefault("DJANGO_DEBUG", "True")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks started with transaction.on_commit run in the test process; the tests that need
# real workers start them (tests/tickets/test_workers.py).
CELERY_TASK_ALWAYS_EAGER = True
# Each test builds its own reference data (and rolls it back): intake reads it afresh.
# tests/tickets/test_ingest_cache.py turns the per-process cache on.
TICKET_INTAKE_CACHE_SECONDS = 0
# Likewise the lookup's learned choices; tests/diversion/test_lookup_page.py turns it on.
LOOKUP_LEARNING_CACHE_SECONDS = 0
