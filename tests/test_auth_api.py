"""Registration and token login (SPEC §4 auth)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from rest_framework.throttling import ScopedRateThrottle

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"

pytestmark = pytest.mark.django_db


def test_register_creates_candidate_and_returns_token(anon_client):
    response = anon_client.post(
        REGISTER, {"username": "newbie", "email": "newbie@example.com", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 201, response.data
    user = get_user_model().objects.get(username="newbie")
    assert response.data == {
        "id": user.id,
        "username": "newbie",
        "email": "newbie@example.com",
        "token": user.auth_token.key,
    }
    assert "password" not in response.data
    assert not user.is_staff and not user.groups.exists()


def test_registered_password_is_hashed_with_argon2(anon_client, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    anon_client.post(REGISTER, {"username": "hashme", "email": "h@example.com", "password": "a-long-pass-phrase"})
    stored = get_user_model().objects.get(username="hashme").password
    assert identify_hasher(stored).algorithm == "argon2"


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"email": "x@example.com", "password": "a-long-pass-phrase"}, "username", "required"),
        (
            {"username": "x", "email": "not-an-email", "password": "a-long-pass-phrase"},
            "email",
            "valid email",
        ),
        ({"username": "x", "email": "x@example.com", "password": "short"}, "password", "too short"),
        ({"username": "x", "email": "x@example.com", "password": "password123"}, "password", "too common"),
        (
            {"username": "bad name!", "email": "x@example.com", "password": "a-long-pass-phrase"},
            "username",
            "letters",
        ),
    ],
)
def test_register_rejects_bad_input_with_field_messages(anon_client, body, field, fragment):
    response = anon_client.post(REGISTER, body)
    assert response.status_code == 400
    assert fragment in " ".join(response.data[field]).lower()
    assert not get_user_model().objects.exists()


def test_register_rejects_taken_username_and_email_case_insensitively(anon_client, candidate):
    response = anon_client.post(
        REGISTER, {"username": "CASEY", "email": candidate.email.upper(), "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 400
    assert "taken" in response.data["username"][0]
    assert "already exists" in response.data["email"][0]


def test_token_login_returns_the_users_token(anon_client, candidate):
    response = anon_client.post(TOKEN, {"username": "casey", "password": "correct horse battery staple"})
    assert response.status_code == 200
    assert response.data == {"token": candidate.auth_token.key}


def test_token_login_with_wrong_password_is_400_without_token(anon_client, candidate):
    response = anon_client.post(TOKEN, {"username": "casey", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.data


def test_anonymous_and_bad_token_requests_get_401(anon_client, client_for):
    assert anon_client.get("/api/v1/questions/").status_code == 401
    anon_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anon_client.get("/api/v1/questions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_login_attempts_are_throttled(anon_client, candidate, monkeypatch):
    # Rates are read when DRF loads; patch the class attribute for this test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min"})
    codes = [anon_client.post(TOKEN, {"username": "casey", "password": "wrong"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
