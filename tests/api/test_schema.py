"""The OpenAPI document is the web team's contract: checked with schemathesis.

Schemathesis generates requests from the schema (bounded examples per operation)
and checks every response: no server error, a documented status code and content
type, and a body that matches the documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(db):
    """The schema, with requests sent straight to the WSGI application.

    Like Django's test client, keep the request cycle from closing the test's
    database connection (which holds the rolled-back test transaction).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from cms.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def unthrottled(monkeypatch):
    """A generous throttle for this test only: its requests come from one client,
    and a 429 halfway would hide the operations after it."""
    from cms.api.base import ReadThrottle

    monkeypatch.setattr(ReadThrottle, "THROTTLE_RATES", {"anon_read": "100000/min"})


def test_api_honours_its_schema(api_schema, unthrottled):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # The schema as loaded, not a second request through Django's test client: the
    # test client reconnects close_old_connections when it is done, and the next
    # request would close the test's connection.
    document = api_schema.raw_schema
    documented = {
        (method.upper(), path)
        for path, methods in document["paths"].items()
        for method in methods
    }
    # Every documented operation is exercised, none skipped.
    assert {(o.method.upper(), o.path) for o in operations} == documented
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            # Bounded so the whole run stays well under a minute on CI.
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(checks=CHECKS)

        run()


def test_docs_are_served_without_a_cdn(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    assert "/static/drf_spectacular_sidecar/" in page
