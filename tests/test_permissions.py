"""Who may call what: anonymous / candidate / set owner / another manager × every endpoint and method."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.services import invitation_create, question_set_create
from interviews.services import session_start_from_request
from reviews.services import card_rate
from tests.factories import CategoryFactory, HiringManagerFactory, QuestionFactory, TagFactory

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


def _fill(value, ids):
    """Body values like "{published}" (or lists of them) become ids."""
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


# (method, path template, body) → expected status for anonymous, candidate, the owner of the
# question sets (morgan) and another hiring manager (riley)
MATRIX = [
    ("get", "/api/v1/categories/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/questions/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/questions/random/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/questions/{published}/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/questions/{draft}/", None, (401, 404, 200, 200)),
    ("post", "/api/v1/questions/", NEW_QUESTION, (401, 403, 201, 201)),
    ("patch", "/api/v1/questions/{published}/", {"title": "Edited"}, (401, 403, 200, 200)),
    ("put", "/api/v1/questions/{published}/", NEW_QUESTION, (401, 403, 200, 200)),
    # it was asked in a session below, so deleting retires it (200, not 204)
    ("delete", "/api/v1/questions/{published}/", None, (401, 403, 200, 200)),
    ("post", "/api/v1/categories/", {"slug": "x"}, (401, 405, 405, 405)),
    (
        "post",
        "/api/v1/auth/register/",
        {"username": "u1", "email": "u1@example.com", "password": "a-long-pass-phrase"},
        (201, 201, 201, 201),
    ),
    (
        "post",
        "/api/v1/auth/token/",
        {"username": "casey", "password": "correct horse battery staple"},
        (200, 200, 200, 200),
    ),
    # sessions: the candidate's own; anyone else's is a 404
    ("get", "/api/v1/sessions/", None, (401, 200, 200, 200)),
    ("post", "/api/v1/sessions/", {"count": 1}, (401, 201, 201, 201)),
    ("get", "/api/v1/sessions/{session}/", None, (401, 200, 404, 404)),
    ("post", "/api/v1/sessions/{session}/answers/", {"position": 1, "answer": "x"}, (401, 200, 404, 404)),
    # grading needs an answer first: the candidate reaches the rule (409), others do not
    ("post", "/api/v1/sessions/{session}/grades/", {"position": 1, "key_points_hit": []}, (401, 409, 404, 404)),
    ("post", "/api/v1/sessions/{session}/finish/", None, (401, 200, 404, 404)),
    # spaced repetition: everyone's own
    ("get", "/api/v1/reviews/due/", None, (401, 200, 200, 200)),
    ("post", "/api/v1/reviews/", {"question_id": "{published}", "rating": "good"}, (401, 201, 400, 400)),
    ("get", "/api/v1/reviews/forecast/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/me/reminders/", None, (401, 200, 200, 200)),
    ("patch", "/api/v1/me/reminders/", {"hour": 7}, (401, 200, 200, 200)),
    # question sets, invitations, results: hiring managers. {qset} is morgan's private set: any
    # other manager gets 404 (SPEC §4: not yours).
    ("get", "/api/v1/question-sets/", None, (401, 403, 200, 200)),
    (
        "post",
        "/api/v1/question-sets/",
        {"name": "Loop", "questions": ["{published}"], "time_limit_minutes": 10},
        (401, 403, 201, 201),
    ),
    ("get", "/api/v1/question-sets/{qset}/", None, (401, 403, 200, 404)),
    ("patch", "/api/v1/question-sets/{qset}/", {"name": "Renamed"}, (401, 403, 200, 404)),
    ("delete", "/api/v1/question-sets/{qset}/", None, (401, 403, 204, 404)),
    ("post", "/api/v1/question-sets/{qset}/duplicate/", None, (401, 403, 201, 404)),
    ("post", "/api/v1/question-sets/{qset}/start/", None, (401, 403, 201, 404)),
    ("get", "/api/v1/question-sets/{qset}/invitations/", None, (401, 403, 200, 404)),
    ("post", "/api/v1/question-sets/{qset}/invitations/", {"email": "pat@example.com"}, (401, 403, 201, 404)),
    ("get", "/api/v1/question-sets/{qset}/sessions/", None, (401, 403, 200, 404)),
    ("get", "/api/v1/question-sets/{qset}/sessions/csv/", None, (401, 403, 200, 404)),
    ("post", "/api/v1/invitations/{invitation}/revoke/", None, (401, 403, 200, 404)),
    # {shared} is morgan's shared set: riley uses it (start, duplicate, invite) but only morgan
    # edits or deletes it (403: riley may see it); riley revokes only what riley sent.
    ("get", "/api/v1/question-sets/{shared}/", None, (401, 403, 200, 200)),
    ("patch", "/api/v1/question-sets/{shared}/", {"name": "Renamed"}, (401, 403, 200, 403)),
    ("delete", "/api/v1/question-sets/{shared}/", None, (401, 403, 204, 403)),
    ("post", "/api/v1/question-sets/{shared}/duplicate/", None, (401, 403, 201, 201)),
    ("post", "/api/v1/question-sets/{shared}/start/", None, (401, 403, 201, 201)),
    ("get", "/api/v1/question-sets/{shared}/invitations/", None, (401, 403, 200, 200)),
    ("post", "/api/v1/question-sets/{shared}/invitations/", {"email": "pat@example.com"}, (401, 403, 201, 201)),
    ("get", "/api/v1/question-sets/{shared}/sessions/", None, (401, 403, 200, 200)),
    ("get", "/api/v1/question-sets/{shared}/sessions/csv/", None, (401, 403, 200, 200)),
    ("post", "/api/v1/invitations/{shared_by_owner}/revoke/", None, (401, 403, 200, 404)),
    ("post", "/api/v1/invitations/{shared_by_other}/revoke/", None, (401, 403, 200, 200)),
    # an invitation to casey@example.com: only the invited candidate opens it
    ("get", "/api/v1/invitations/{token}/", None, (401, 200, 404, 404)),
    ("post", "/api/v1/invitations/{token}/accept/", None, (401, 201, 404, 404)),
    ("get", "/api/schema/", None, (200, 200, 200, 200)),
    ("get", "/api/docs/", None, (200, 200, 200, 200)),
    ("get", "/healthz", None, (200, 200, 200, 200)),
]


@pytest.mark.parametrize("role", [0, 1, 2, 3], ids=["anonymous", "candidate", "owner", "other_manager"])
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_permission_matrix(role, method, path, body, expected, anon_client, candidate, client_for, hiring_manager):
    other_manager = HiringManagerFactory(username="riley")
    CategoryFactory(slug="databases")
    TagFactory(slug="rest")
    published = QuestionFactory()
    draft = QuestionFactory(status="draft")
    now = timezone.now()
    session = session_start_from_request(candidate=candidate, now=now, count=1)
    card_rate(user=candidate, question_id=published.pk, rating="again", now=now, source="session")
    qset = question_set_create(owner=hiring_manager, name="Private loop", time_limit_minutes=10, questions=[published])
    shared = question_set_create(
        owner=hiring_manager, name="Shared loop", time_limit_minutes=10, questions=[published], visibility="shared"
    )
    invitation, token = invitation_create(
        question_set=qset,
        created_by=hiring_manager,
        email=candidate.email,
        expires_at=now + timedelta(days=1),
        extra_minutes=0,
        now=now,
    )
    shared_by_owner, _ = invitation_create(
        question_set=shared, created_by=hiring_manager, email="sam@example.com", now=now
    )
    shared_by_other, _ = invitation_create(
        question_set=shared, created_by=other_manager, email="lee@example.com", now=now
    )
    ids = {
        "published": published.pk,
        "draft": draft.pk,
        "session": session.pk,
        "qset": qset.pk,
        "shared": shared.pk,
        "invitation": invitation.pk,
        "shared_by_owner": shared_by_owner.pk,
        "shared_by_other": shared_by_other.pk,
        "token": token,
    }
    client = [anon_client, client_for(candidate), client_for(hiring_manager), client_for(other_manager)][role]
    url = path.format(**ids)
    if body:
        body = {k: _fill(v, ids) for k, v in body.items()}
    response = getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    assert response.status_code == expected[role], getattr(response, "data", response.content)
