"""The API contract at its edges: bad input is a 400 that says what is allowed, never a 500;
absent and not yours read the same; links and logs say what happened once."""

import logging

import pytest
from django.urls import get_resolver

from hiring.models import QuestionSet
from interviews.services import session_start_from_request
from reviews.models import ReviewLog
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TOO_BIG_FOR_THE_DATABASE = 2**63  # one past a 64-bit signed integer


def nested(depth):
    return "[" * depth + "]" * depth


# --- 1. Deeply nested JSON ---------------------------------------------------


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_on_an_anonymous_endpoint(anon_client, depth, caplog):
    response = anon_client.post("/api/v1/auth/register/", nested(depth), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON nested deeper than 64 levels; flatten the body."}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_deeply_nested_json_is_a_400_on_an_authenticated_endpoint(candidate_client):
    body = '{"count": 1, "categories": ' + nested(1_000) + "}"
    response = candidate_client.post("/api/v1/sessions/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested deeper than 64 levels" in response.json()["detail"]


def test_json_nested_up_to_the_limit_still_reaches_validation(anon_client):
    response = anon_client.post("/api/v1/auth/register/", nested(64), content_type="application/json")

    assert response.status_code == 400
    assert "Expected a dictionary" in response.json()["non_field_errors"][0]


def test_form_bodies_are_refused_as_unsupported_media(manager_client):
    response = manager_client.post("/api/v1/question-sets/", "name=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert not QuestionSet.objects.exists()


def test_token_endpoint_takes_json_only(anon_client, candidate):
    form = anon_client.post("/api/v1/auth/token/", {"username": "casey", "password": "x"}, format="multipart")
    json = anon_client.post(
        "/api/v1/auth/token/", {"username": "casey", "password": "correct horse battery staple"}, format="json"
    )

    assert form.status_code == 415
    assert json.status_code == 200
    assert json.json() == {"token": candidate.auth_token.key}


# --- 2. Partial updates validate nested rules fully --------------------------


def test_patch_of_a_question_set_with_an_incomplete_rule_is_a_400(manager_client, bank):
    created = manager_client.post(
        "/api/v1/question-sets/",
        {"name": "Loop", "rules": [{"category": "databases", "count": 2}], "time_limit_minutes": 30},
        format="json",
    )
    assert created.status_code == 201, created.data

    response = manager_client.patch(
        f"/api/v1/question-sets/{created.data['id']}/", {"rules": [{"count": 2}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"rules": {"0": {"category": ["This field is required."]}}}
    unchanged = manager_client.get(f"/api/v1/question-sets/{created.data['id']}/").json()
    assert unchanged["rules"] == [{"category": "databases", "difficulty": None, "count": 2}]


def test_patch_of_a_question_set_with_complete_rules_replaces_them(manager_client, bank):
    created = manager_client.post(
        "/api/v1/question-sets/", {"name": "Loop", "questions": [bank[0].pk], "time_limit_minutes": 30}, format="json"
    )

    response = manager_client.patch(
        f"/api/v1/question-sets/{created.data['id']}/",
        {"rules": [{"category": "databases", "difficulty": "mid", "count": 3}]},
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["rules"] == [{"category": "databases", "difficulty": "mid", "count": 3}]
    assert response.data["name"] == "Loop"


# --- 3. Integers the database cannot hold -------------------------------------


def test_review_of_an_id_too_big_for_the_database_is_a_400(candidate_client):
    response = candidate_client.post(
        "/api/v1/reviews/", {"question_id": TOO_BIG_FOR_THE_DATABASE, "rating": "good"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"question_id": ["Ensure this value is less than or equal to 9223372036854775807."]}
    assert not ReviewLog.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/sessions/", {"question_set": TOO_BIG_FOR_THE_DATABASE}, "question_set"),
        (
            "/api/v1/question-sets/",
            {"name": "x", "time_limit_minutes": 5, "questions": [TOO_BIG_FOR_THE_DATABASE]},
            "questions",
        ),
    ],
)
def test_ids_too_big_for_the_database_are_a_400_naming_the_bound(manager_client, path, body, field):
    response = manager_client.post(path, body, format="json")

    assert response.status_code == 400
    assert "9223372036854775807" in str(response.json()[field])


def test_answer_position_beyond_any_session_is_a_400_naming_the_bound(candidate_client, candidate, bank):
    session = session_start_from_request(candidate=candidate, now=bank[0].created_at, count=1)

    response = candidate_client.post(
        f"/api/v1/sessions/{session.pk}/answers/", {"position": TOO_BIG_FOR_THE_DATABASE, "answer": "a"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"position": ["Ensure this value is less than or equal to 50."]}


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/sessions/{TOO_BIG_FOR_THE_DATABASE}/",
        f"/api/v1/questions/{TOO_BIG_FOR_THE_DATABASE}/",
        f"/api/v1/question-sets/{TOO_BIG_FOR_THE_DATABASE}/",
        f"/api/v1/question-sets/{TOO_BIG_FOR_THE_DATABASE}/sessions/",
    ],
)
def test_ids_too_big_for_the_database_in_paths_are_a_404(manager_client, path):
    response = manager_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_invitation_id_too_big_for_the_database_is_a_404(manager_client):
    response = manager_client.post(f"/api/v1/invitations/{TOO_BIG_FOR_THE_DATABASE}/revoke/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- 4. Choice errors list what is allowed -----------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field", "allowed"),
    [
        ("/api/v1/reviews/", {"question_id": 1, "rating": "meh"}, "rating", "again, hard, good, easy"),
        ("/api/v1/sessions/", {"count": 1, "difficulties": ["meh"]}, "difficulties", "junior, mid, senior"),
        (
            "/api/v1/question-sets/",
            {"name": "x", "time_limit_minutes": 5, "questions": [1], "visibility": "meh"},
            "visibility",
            "private, shared",
        ),
        ("/api/v1/questions/", {"status": "meh"}, "status", "draft, published, retired"),
    ],
)
def test_an_invalid_choice_names_the_allowed_values(manager_client, bank, path, body, field, allowed):
    response = manager_client.post(path, body, format="json")

    assert response.status_code == 400
    assert f"'meh' is not a valid choice; allowed: {allowed}." in str(response.json()[field])


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        ("difficulty=expert", "difficulty", "junior, mid, senior"),
        ("status=gone", "status", "draft, published, retired"),
        ("difficulty=random", "difficulty", "junior, mid, senior"),
    ],
)
def test_an_invalid_filter_choice_names_the_allowed_values(candidate_client, bank, query, field, allowed):
    path = "/api/v1/questions/random/" if query == "difficulty=random" else "/api/v1/questions/"
    response = candidate_client.get(f"{path}?{query}")

    assert response.status_code == 400
    value = query.split("=")[1]
    assert response.json() == {field: [f"'{value}' is not a valid choice; allowed: {allowed}."]}


def _serializer_classes():
    from rest_framework import serializers

    seen, stack = set(), [serializers.BaseSerializer]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    project = ("accounts.", "questions.", "reviews.", "interviews.", "hiring.")
    return [cls for cls in seen if cls.__module__.startswith(project)]


def test_every_choice_field_of_the_api_names_its_allowed_values():
    from rest_framework import serializers

    from interview_bank.fields import ChoiceField

    get_resolver().url_patterns  # import every API module  # noqa: B018
    plain = []
    for cls in _serializer_classes():
        try:
            fields = cls().fields
        except Exception:  # noqa: BLE001, S112 - a serializer needing context is not a choice holder here
            continue
        for name, field in fields.items():
            for f in (field, getattr(field, "child", None)):
                if isinstance(f, serializers.ChoiceField) and not f.read_only and not isinstance(f, ChoiceField):
                    plain.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert plain == []


# --- 5. 404s never name the model --------------------------------------------


def test_someone_elses_session_is_a_plain_not_found(candidate, other_candidate_client, bank):
    session = session_start_from_request(candidate=candidate, now=bank[0].created_at, count=1)

    response = other_candidate_client.get(f"/api/v1/sessions/{session.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unpublished_question_is_a_plain_not_found_for_a_candidate(candidate_client):
    draft = QuestionFactory(status="draft")

    response = candidate_client.get(f"/api/v1/questions/{draft.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- 6. Pagination links carry the page size actually used -------------------


@pytest.fixture
def many_questions(db):
    return QuestionFactory.create_batch(5)


def test_next_link_carries_the_clamped_page_size(candidate_client, many_questions, settings):
    from questions.api.pagination import PageNumberPagination

    PageNumberPagination.max_page_size, cap = 2, PageNumberPagination.max_page_size
    try:
        response = candidate_client.get("/api/v1/questions/?page_size=1000&page=2")
    finally:
        PageNumberPagination.max_page_size = cap

    body = response.json()
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/v1/questions/?page=3&page_size=2"
    assert body["previous"] == "http://testserver/api/v1/questions/?page_size=2"


def test_links_drop_a_page_size_that_fell_back_to_the_default(candidate_client, many_questions):
    from questions.api.pagination import PageNumberPagination

    PageNumberPagination.page_size, default = 2, PageNumberPagination.page_size
    try:
        response = candidate_client.get("/api/v1/questions/?page_size=abc")
    finally:
        PageNumberPagination.page_size = default

    assert response.json()["next"] == "http://testserver/api/v1/questions/?page=2"


def test_links_keep_a_page_size_within_the_cap(candidate_client, many_questions):
    response = candidate_client.get("/api/v1/questions/?page_size=2")

    assert response.json()["next"] == "http://testserver/api/v1/questions/?page=2&page_size=2"


# --- 7. Each 4xx is logged once ----------------------------------------------


def _server_access_record(status_code):
    """A record as Django's development server logs each request line."""
    return logging.LogRecord(
        "django.server", logging.WARNING, __file__, 0, '"GET /api/v1/x/ HTTP/1.1" %s 0', (status_code,), None
    )


@pytest.mark.parametrize("status_code", [400, 404, 500])
def test_the_development_server_does_not_repeat_what_django_request_logged(status_code):
    record = _server_access_record(status_code)
    record.status_code = status_code

    assert logging.getLogger("django.server").filter(record) is False


def test_the_development_server_still_logs_successes():
    record = _server_access_record(200)
    record.status_code = 200

    assert logging.getLogger("django.server").filter(record)


def test_a_4xx_is_logged_once(candidate_client, caplog):
    with caplog.at_level(logging.INFO):
        candidate_client.get("/api/v1/sessions/999/")

    assert [(r.name, r.levelname) for r in caplog.records] == [("django.request", "WARNING")]


# --- 8. The token scheme says its prefix --------------------------------------


def test_a_bearer_token_gets_a_401_naming_the_token_scheme(anon_client, candidate):
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {candidate.auth_token.key}")

    response = anon_client.get("/api/v1/sessions/")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Unsupported authorization scheme 'Bearer'; send 'Authorization: Token")
    assert response["WWW-Authenticate"] == "Token"


def test_schema_publishes_json_request_bodies_and_the_token_prefix(anon_client):
    schema = anon_client.get("/api/schema/?format=json").json()

    media_types = {
        media
        for operations in schema["paths"].values()
        for operation in operations.values()
        if isinstance(operation, dict) and "requestBody" in operation
        for media in operation["requestBody"]["content"]
    }
    assert media_types == {"application/json"}
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token["type"] == "apiKey"
    assert token["in"] == "header"
    assert token["name"] == "Authorization"
    assert "Authorization: Token <key>" in token["description"]


def test_the_browsable_api_still_renders(client, candidate):
    client.force_login(candidate)

    response = client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Session List" in response.content
