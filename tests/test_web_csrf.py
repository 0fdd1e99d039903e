"""CSRF on every form of the web pages (issue 7): every POST form carries the token,
and a POST without it is refused and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hiring.services import invitation_create, question_set_create
from interviews.models import InterviewSession
from interviews.services import answer_submit, session_start_from_request
from reviews.models import ReminderPreference, ReviewLog
from reviews.services import card_rate
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(candidate, hiring_manager):
    questions = QuestionFactory.create_batch(4)
    now = timezone.now()
    session = session_start_from_request(candidate=candidate, now=now, count=3, time_limit_minutes=60)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="a")
    card_rate(
        user=candidate, question_id=questions[0].pk, rating="again", now=now - timedelta(days=3), source="session"
    )
    qset = question_set_create(owner=hiring_manager, name="Loop", time_limit_minutes=10, questions=questions[:1])
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    return {"session": session.pk, "question": questions[0].pk, "token": token}


PAGES_WITH_FORMS = [
    "/",
    "/interviews/new/",
    "/interviews/{session}/q/1/",
    "/interviews/{session}/q/2/",
    "/reviews/{question}/",
    "/settings/reminders/",
    "/invitations/{token}/",
    "/accounts/password_change/",
]

POSTS = [
    ("/interviews/new/", {"count": 1}),
    ("/interviews/{session}/q/2/answer/", {"answer": "forged"}),
    ("/interviews/{session}/q/1/grade/", {"q1-rating": "easy"}),
    ("/interviews/{session}/finish/", {}),
    ("/reviews/{question}/", {"rating": "easy"}),
    ("/settings/reminders/", {"enabled": "on", "timezone": "UTC", "hour": "1", "min_due": "1"}),
    ("/invitations/{token}/start/", {}),
    ("/accounts/logout/", {}),
    ("/accounts/password_change/", {"old_password": "x", "new_password1": "y", "new_password2": "y"}),
]

VISITOR_POSTS = [
    ("/signup/", {"username": "u", "email": "u@example.com", "password1": "a-long-pass", "password2": "a-long-pass"}),
    ("/accounts/login/", {"username": "casey", "password": "correct horse battery staple"}),
    ("/accounts/password_reset/", {"email": "casey@example.com"}),
]


def forms_in(html):
    return re.findall(r'<form method="post".*?</form>', html, re.S)


@pytest.mark.parametrize("path", PAGES_WITH_FORMS)
def test_every_post_form_carries_the_csrf_token(client, candidate, world, path):
    client.force_login(candidate)
    forms = forms_in(client.get(path.format(**world)).content.decode())
    assert forms, "the page should have a form"
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


@pytest.mark.parametrize("path", ["/signup/", "/accounts/login/", "/accounts/password_reset/"])
def test_visitor_forms_carry_the_csrf_token_too(client, path):
    forms = forms_in(client.get(path).content.decode())
    assert forms and all('name="csrfmiddlewaretoken"' in form for form in forms)


@pytest.mark.parametrize(("path", "data"), POSTS, ids=[p for p, _ in POSTS])
def test_a_post_without_the_token_is_refused_and_changes_nothing(candidate, world, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    before = (InterviewSession.objects.count(), ReviewLog.objects.count(), ReminderPreference.objects.count())
    response = client.post(path.format(**world), data)
    assert response.status_code == 403
    after = (InterviewSession.objects.count(), ReviewLog.objects.count(), ReminderPreference.objects.count())
    assert after == before
    assert InterviewSession.objects.get(pk=world["session"]).status == "active"
    assert client.get("/").status_code == 200 and "Hello, casey" in client.get("/").content.decode()  # still in


@pytest.mark.parametrize(("path", "data"), VISITOR_POSTS, ids=[p for p, _ in VISITOR_POSTS])
def test_visitor_posts_without_the_token_are_refused(candidate, path, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data).status_code == 403
    assert "_auth_user_id" not in client.session
