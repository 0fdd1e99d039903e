"""Model answers and key points never reach a candidate outside a session (SPEC §4)."""

import json

import pytest

from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

SECRET_MARKERS = ("SECRET-MODEL-ANSWER", "SECRET-KEY-POINT", "SECRET-FOLLOW-UP")
REVEALED_FIELDS = ("model_answer", "key_points", "follow_ups")


def assert_no_secret(response):
    body = response.content.decode()
    for marker in SECRET_MARKERS:
        assert marker not in body, f"{marker} leaked in {response.wsgi_request.path}"


@pytest.mark.parametrize("path", ["/api/v1/questions/", "/api/v1/questions/{id}/", "/api/v1/questions/random/?count=5"])
def test_candidate_views_carry_no_model_answer_or_key_point(candidate_client, path):
    question = QuestionFactory()
    QuestionFactory.create_batch(3)
    response = candidate_client.get(path.format(id=question.pk))
    assert response.status_code == 200
    assert_no_secret(response)
    items = response.data if isinstance(response.data, list) else response.data.get("results", [response.data])
    for item in items:
        assert not set(REVEALED_FIELDS) & set(item)


def test_hiring_managers_see_the_rubric(manager_client):
    question = QuestionFactory()
    data = manager_client.get(f"/api/v1/questions/{question.pk}/").data
    assert data["model_answer"] == question.model_answer
    assert data["key_points"] == question.key_points
    assert data["follow_ups"] == question.follow_ups


def test_schema_carries_no_bank_content(anon_client):
    QuestionFactory()
    response = anon_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert_no_secret(response)
    schema = json.loads(response.content)
    question = schema["components"]["schemas"]["Question"]
    # Documented as optional: only hiring managers receive them.
    assert not set(REVEALED_FIELDS) & set(question.get("required", []))


def test_not_found_errors_do_not_echo_content(candidate_client):
    draft = QuestionFactory(status="draft")
    response = candidate_client.get(f"/api/v1/questions/{draft.pk}/")
    assert response.status_code == 404
    assert_no_secret(response)
