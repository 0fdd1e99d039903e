"""Sign up, log in, log out and password reset in the browser (issue 7)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = {"username": "newbie", "email": "newbie@example.com", "password1": "a-long-pass-phrase", "password2": ""}
GOOD["password2"] = GOOD["password1"]


def test_signing_up_creates_a_candidate_with_an_api_token_and_logs_them_in(client):
    response = client.post("/signup/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="newbie")
    assert user.email == "newbie@example.com" and user.auth_token.key and not user.is_staff
    assert user.password.startswith("md5$")  # the tests' hasher: the password went through set_password
    assert "Hello, newbie" in client.get("/").content.decode()


def test_signing_up_returns_to_the_page_that_asked_but_never_off_site(client):
    assert client.post("/signup/", {**GOOD, "next": "/invitations/abc.def/"})["Location"] == "/invitations/abc.def/"
    client.logout()
    other = {**GOOD, "username": "second", "email": "second@example.com", "next": "https://evil.example/"}
    assert client.post("/signup/", other)["Location"] == "/"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"username": "casey"}, "username", "already taken"),
        ({"email": "CASEY@example.com"}, "email", "already exists"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"username": "has spaces"}, "username", "valid username"),
        ({"password2": "something-else-entirely"}, "password2", "two passwords differ"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "entirely numeric"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
    ],
)
def test_bad_sign_ups_explain_what_is_wrong_and_create_nothing(client, candidate, change, field, message):
    response = client.post("/signup/", {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1  # only casey


def test_log_in_and_log_out(client, candidate):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in page and 'name="password"' in page and "Forgot your password?" in page
    response = client.post("/accounts/login/", {"username": "casey", "password": "correct horse battery staple"})
    assert response["Location"] == "/"
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/interviews/")["Location"].startswith("/accounts/login/")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, candidate):
    response = client.post("/accounts/login/", {"username": "casey", "password": "wrong"})
    assert response.status_code == 200 and "correct username and password" in response.content.decode()


def test_password_reset_by_email_sets_a_new_password(client, candidate):
    response = client.post("/accounts/password_reset/", {"email": "casey@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["casey@example.com"]
    assert mail.outbox[0].subject == "Reset your Interview Bank password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session key first
    assert "Choose a new password" in client.get(form_url).content.decode()
    new = "another-long-pass-phrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/accounts/reset/done/"
    candidate.refresh_from_db()
    assert candidate.check_password(new)
    assert "no longer works" in client.get(link, follow=True).content.decode()  # one use only


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
