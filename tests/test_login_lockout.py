"""Password guessing is cut off: after LOGIN_FAILURE_LIMIT failures for one username from
one address, that pair is locked out for the cool-off time (web login, admin and API token)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
RIGHT = "correct horse battery staple"


def fail(client, path, username, times):
    for _ in range(times):
        response = client.post(path, {"username": username, "password": "wrong guess"})
        assert response.status_code in (200, 400)  # the form again / DRF's 400, not a lockout yet


def lock_out(client, path, username, limit):
    fail(client, path, username, limit - 1)
    assert client.post(path, {"username": username, "password": "wrong guess"}).status_code == 429


def test_the_web_login_locks_the_username_from_that_address_after_the_limit(client, candidate, settings):
    lock_out(client, LOGIN, "casey", settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": "casey", "password": RIGHT})  # even the right password
    assert response.status_code == 429
    assert (
        "Too many failed logins" in response.content.decode() and "try again in 15 minutes" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_others_at_the_same_address_and_the_same_user_elsewhere_can_still_log_in(
    client, candidate, other_candidate, settings
):
    lock_out(client, LOGIN, "casey", settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, {"username": "olivia", "password": RIGHT}).status_code == 302
    client.logout()
    elsewhere = client.post(LOGIN, {"username": "casey", "password": RIGHT}, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, candidate, settings):
    lock_out(client, LOGIN, "casey", settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert client.post(LOGIN, {"username": "casey", "password": RIGHT}).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, candidate, settings):
    fail(client, LOGIN, "casey", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, {"username": "casey", "password": RIGHT}).status_code == 302
    client.logout()
    fail(client, LOGIN, "casey", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, {"username": "casey", "password": RIGHT}).status_code == 302


def test_the_api_token_endpoint_shares_the_lockout_and_answers_429_json(anon_client, candidate, settings):
    lock_out(anon_client, TOKEN, "casey", settings.AXES_FAILURE_LIMIT)
    response = anon_client.post(TOKEN, {"username": "casey", "password": RIGHT})
    assert response.status_code == 429
    assert "Too many failed logins" in response.json()["detail"]
