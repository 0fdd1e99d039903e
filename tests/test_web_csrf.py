"""CSRF on every form of the web pages (issue 7): every POST form carries the token,
and a POST without it is refused and changes nothing."""

import re

import pytest
from django.test import Client

from interviews.models import InterviewSession
from reviews.models import ReminderPreference, ReviewLog

pytestmark = pytest.mark.django_db


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
def test_every_post_form_carries_the_csrf_token(client, candidate, web_world, path):
    client.force_login(candidate)
    forms = forms_in(client.get(path.format(**web_world)).content.decode())
    assert forms, "the page should have a form"
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


@pytest.mark.parametrize("path", ["/signup/", "/accounts/login/", "/accounts/password_reset/"])
def test_visitor_forms_carry_the_csrf_token_too(client, path):
    forms = forms_in(client.get(path).content.decode())
    assert forms and all('name="csrfmiddlewaretoken"' in form for form in forms)


@pytest.mark.parametrize(("path", "data"), POSTS, ids=[p for p, _ in POSTS])
def test_a_post_without_the_token_is_refused_and_changes_nothing(candidate, web_world, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    before = (InterviewSession.objects.count(), ReviewLog.objects.count(), ReminderPreference.objects.count())
    response = client.post(path.format(**web_world), data)
    assert response.status_code == 403
    after = (InterviewSession.objects.count(), ReviewLog.objects.count(), ReminderPreference.objects.count())
    assert after == before
    assert InterviewSession.objects.get(pk=web_world["session"]).status == "active"
    assert client.get("/").status_code == 200 and "Hello, casey" in client.get("/").content.decode()  # still in


@pytest.mark.parametrize(("path", "data"), VISITOR_POSTS, ids=[p for p, _ in VISITOR_POSTS])
def test_visitor_posts_without_the_token_are_refused(candidate, path, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data).status_code == 403
    assert "_auth_user_id" not in client.session
