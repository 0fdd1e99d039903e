"""Who may call what: anonymous / candidate / hiring manager × every endpoint and method."""

import pytest

from tests.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

NEW_QUESTION = {
    "category": "databases",
    "title": "A new question",
    "prompt": "Why?",
    "model_answer": "Because.",
    "key_points": ["reason"],
    "difficulty": "mid",
    "expected_minutes": 5,
}

# (method, path template, body) → expected status for anonymous, candidate, hiring manager
MATRIX = [
    ("get", "/api/v1/categories/", None, (401, 200, 200)),
    ("get", "/api/v1/questions/", None, (401, 200, 200)),
    ("get", "/api/v1/questions/random/", None, (401, 200, 200)),
    ("get", "/api/v1/questions/{published}/", None, (401, 200, 200)),
    ("get", "/api/v1/questions/{draft}/", None, (401, 404, 200)),
    ("post", "/api/v1/questions/", NEW_QUESTION, (401, 403, 201)),
    ("patch", "/api/v1/questions/{published}/", {"title": "Edited"}, (401, 403, 200)),
    ("put", "/api/v1/questions/{published}/", NEW_QUESTION, (401, 403, 200)),
    ("delete", "/api/v1/questions/{published}/", None, (401, 403, 204)),
    ("post", "/api/v1/categories/", {"slug": "x"}, (401, 405, 405)),
    (
        "post",
        "/api/v1/auth/register/",
        {"username": "u1", "email": "u1@example.com", "password": "a-long-pass-phrase"},
        (201, 201, 201),
    ),
    (
        "post",
        "/api/v1/auth/token/",
        {"username": "casey", "password": "correct horse battery staple"},
        (200, 200, 200),
    ),
    ("get", "/api/schema/", None, (200, 200, 200)),
    ("get", "/api/docs/", None, (200, 200, 200)),
    ("get", "/healthz", None, (200, 200, 200)),
]


@pytest.mark.parametrize("role", [0, 1, 2], ids=["anonymous", "candidate", "hiring_manager"])
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(role, method, path, body, expected, anon_client, candidate, client_for, hiring_manager):
    CategoryFactory(slug="databases")
    TagFactory(slug="rest")
    published = QuestionFactory()
    draft = QuestionFactory(status="draft")
    client = [anon_client, client_for(candidate), client_for(hiring_manager)][role]
    url = path.format(published=published.pk, draft=draft.pk)
    response = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert response.status_code == expected[role], getattr(response, "data", response)
