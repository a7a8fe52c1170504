"""Schemathesis over every operation of the OpenAPI schema, in-process (WSGI), as a curator.

Two bounded runs inside ``make test``: each operation with generated valid and invalid input, and a
stateful run that chains operations through the links schemathesis infers (a created record's
``Location``, ids and slugs answered by one operation and taken by another). Every answer must be no
5xx and conform to the schema: its status is documented, its content type and body match.

``FUZZ_EXAMPLES`` raises the number of examples per operation (and of stateful scenarios) for a longer
run; the README's Reliability section gives its figures.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ActorAliasFactory,
    CitationFactory,
    EventRelationFactory,
    LocationFactory,
    ParticipationFactory,
    TagFactory,
    curator,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure in CI reproduces locally
    database=None,
    suppress_health_check=list(HealthCheck),
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_headers(db: Any) -> dict[str, str]:
    """A curator's token, and a small record for reads and links to find."""
    for index in range(3):
        citation = CitationFactory(event__slug=f"fuzz-event-{index}", event__tags=[TagFactory()])
        citation.event.location = LocationFactory()
        citation.event.save()
        ParticipationFactory(event=citation.event)
        ActorAliasFactory()
    EventRelationFactory()
    token = Token.objects.create(user=curator("fuzzer"))
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture
def api_schema(db: Any) -> Any:
    # Django closes the database connection around each request it serves, which would end the test's
    # transaction (on PostgreSQL); its own test client keeps the connection open the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_every_operation_answers_within_its_schema_and_never_a_5xx(
    api_schema: Any, curator_headers: Any
) -> None:
    tried: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            tried[case.operation.label] = tried.get(case.operation.label, 0) + 1
            case.call_and_validate(headers=curator_headers, checks=CHECKS)

        call()
    print(f"fuzzed {len(tried)} operations with {sum(tried.values())} examples")
    assert len(tried) >= 30  # every operation of the schema, not a handful


def test_chained_operations_answer_within_the_schema(api_schema: Any, curator_headers: Any) -> None:
    calls: list[str] = []

    class CuratorStateMachine(api_schema.as_state_machine()):  # type: ignore[misc]
        # Each scenario starts from the same record: hypothesis replays scenarios and expects the same
        # answers to the same calls.
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            calls.append(f"{case.method} {case.path}")
            return {"headers": curator_headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, headers=curator_headers)

    CuratorStateMachine.run(
        settings=settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES * 2, 10), stateful_step_count=6)
    )
    through_links = [call for call in calls if "{" in call]  # a detail URL filled from an earlier answer
    print(f"stateful: {len(calls)} calls, {len(set(calls))} operations, {len(through_links)} through links")
    assert through_links, "no call followed a link: the stateful run tested nothing chained"
