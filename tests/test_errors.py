"""API errors are JSON in DRF's shape, with a message that says what is wrong."""

import pytest

from questions.models import Question

pytestmark = pytest.mark.django_db


def test_oversized_request_body_is_rejected_with_the_limit(manager_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = manager_client.post("/api/v1/questions/", {"title": "x" * 20_000}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Request body too large: at most 10000 bytes."}
    assert not Question.objects.exists()


def test_unknown_api_path_is_a_json_404(candidate_client):
    response = candidate_client.get("/api/v1/questions/not-a-number./")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_malformed_json_is_a_400_naming_the_problem(manager_client):
    response = manager_client.post("/api/v1/questions/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
