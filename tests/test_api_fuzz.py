"""The API against its own OpenAPI schema: generated requests, valid and invalid, sent without a
login and with the API tokens of a resident, a coordinator and a board member.

No answer may be a server error, and every answer must be one the schema describes: its status
code, content type, headers and body.
"""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from members import services
from wijkbv.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
]
# Without a token, a request carrying made-up credentials must be refused as well.
ANONYMOUS_CHECKS = [*CHECKS, ignored_auth]
# Rules a schema cannot say (a postcode in the area, a name not yet taken) refuse valid-looking
# data, and Django REST framework reads "1" as a number; so "valid data is accepted" and
# "invalid data is refused" are not checked, only that every answer is a described one.

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
PERSONAS = [None, "alice", "bob", "carol"]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Send half of the generated requests to the personas' cooperative, so that what lies
    behind the permission checks is fuzzed too."""
    if not path_parameters or "slug" not in path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, "slug": "teststad"}])


def reachable(case):
    """A slug that the URL pattern refuses never reaches the API: Django answers with the
    site's own "page not found". Such a request asks for an unknown cooperative instead."""
    slug = case.path_parameters.get("slug") if case.path_parameters else None
    if slug is not None and not SLUG.match(str(slug)):
        case.path_parameters["slug"] = "no-such-cooperative"
    return case


@pytest.fixture(autouse=True)
def one_connection_per_test():
    """Requests go straight into the WSGI application, and Django closes the database connection
    after each request; that would end the test's transaction. Django's test client keeps the
    connection open in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=PERSONAS, ids=lambda name: name or "anonymous")
def auth_headers(request, hood):
    if request.param is None:
        return {}
    person = hood.people[request.param]
    token = services.renew_api_token(person, actor=person)
    return {"Authorization": f"Token {token.key}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_its_schema_says(case, auth_headers):
    reachable(case).call_and_validate(
        headers=auth_headers, checks=CHECKS if auth_headers else ANONYMOUS_CHECKS
    )


LONG_EMAIL = "a" * 250 + "@example.org"  # valid in form, longer than the 254 the column holds


@pytest.mark.parametrize(
    ("person", "method", "url", "body"),
    [
        ("alice", "put", "/api/v1/me/", {"full_name": "Alice", "preferred_language": "nl"}),
        ("bob", "post", "/api/v1/c/teststad/members/", {"full_name": "New Resident"}),
        ("bob", "post", "/api/v1/c/teststad/invitations/", {"roles": ["resident"]}),
        (
            None,
            "post",
            "/api/v1/invitations/accept/",
            {"token": "x", "full_name": "N", "password": "a-long-password-1"},
        ),
    ],
)
def test_it_refuses_an_email_address_longer_than_the_database_holds(
    hood, person, method, url, body
):
    client = APIClient()
    if person:
        client.force_authenticate(hood.people[person])

    response = getattr(client, method)(url, {**body, "email": LONG_EMAIL}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()
