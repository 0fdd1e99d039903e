"""Schemathesis over the whole OpenAPI schema, as each role: no 5xx, responses match the schema."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from interview_bank.wsgi import application
from tests.factories import CategoryFactory, QuestionFactory, TagFactory


@pytest.fixture
def api_schema(db):
    # Schemathesis calls the WSGI app directly, not through Django's test
    # client, so detach the per-request connection cleanup as that client
    # does: it would close the connection holding the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bank(db):
    category = CategoryFactory(slug="databases")
    tag = TagFactory(slug="sql")
    QuestionFactory.create_batch(3, category=category, tags=[tag])
    QuestionFactory(category=category, status="draft")


# Examples per operation and role; CI's default fits the suite's time budget,
# SCHEMATHESIS_MAX_EXAMPLES=200 digs deeper locally.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20"))
CHECK_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
# Business rules the schema cannot express (unique usernames, password
# strength, slugs that must exist) reject some schema-valid bodies, and DRF
# falls back to the default for a malformed page_size: those two
# "acceptance" checks do not apply. Every other check runs.
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]


@schema.parametrize()
@CHECK_SETTINGS
def test_api_conforms_to_its_schema_anonymously(case, bank):
    case.call_and_validate(
        excluded_checks=EXCLUDED,
    )


@schema.parametrize()
@CHECK_SETTINGS
def test_api_conforms_to_its_schema_as_candidate(case, bank, candidate):
    case.call_and_validate(excluded_checks=EXCLUDED, headers={"Authorization": f"Token {candidate.auth_token.key}"})


@schema.parametrize()
@CHECK_SETTINGS
def test_api_conforms_to_its_schema_as_hiring_manager(case, bank, hiring_manager):
    case.call_and_validate(
        excluded_checks=EXCLUDED, headers={"Authorization": f"Token {hiring_manager.auth_token.key}"}
    )
