"""Schemathesis against the API in-process: every answer is documented and matches the schema.

Requests are generated from the OpenAPI schema (valid and invalid ones) and sent to the
WSGI app with each platform's token; the checks fail on a server error, a status the
schema does not list, or a body or content type that does not match it.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.roles import Role
from config.wsgi import application
from tests.factories import UnitFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes database connections after each request; Django's test
    client switches that off, and so must a test calling the handler itself."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(params=["12345", "110"])
def platform_token(request, region):
    UnitFactory(region=region, name="市公安局")
    user = UserFactory(
        username=f"p{request.param}", role=Role.PLATFORM, is_staff=False, platform=request.param
    )
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, platform_token):
    case.call_and_validate(headers={"Authorization": f"Token {platform_token}"}, checks=CHECKS)
