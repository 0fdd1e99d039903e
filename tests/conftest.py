"""Personas and API clients shared by the suite."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from questions.pools import pool_cache
from tests.factories import HiringManagerFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings):
    # Argon2 is the production hasher (tested on its own); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttle counters and cached data never leak between tests
    # Rolled-back tests reuse BankVersion values: pools must not outlive a test.
    pool_cache.clear()
    yield
    cache.clear()
    pool_cache.clear()


@pytest.fixture
def candidate(db):
    return UserFactory(username="casey")


@pytest.fixture
def other_candidate(db):
    return UserFactory(username="olivia")


@pytest.fixture
def hiring_manager(db):
    return HiringManagerFactory(username="morgan")


def _client_for(user):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {user.auth_token.key}")
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def candidate_client(candidate):
    return _client_for(candidate)


@pytest.fixture
def other_candidate_client(other_candidate):
    return _client_for(other_candidate)


@pytest.fixture
def manager_client(hiring_manager):
    return _client_for(hiring_manager)


@pytest.fixture
def client_for():
    return _client_for


def pytest_sessionstart(session):
    """With REQUIRE_SERVICES=1 (CI), an unreachable Redis fails the run up front."""
    import os

    if os.environ.get("REQUIRE_SERVICES") == "1":
        import redis
        from django.conf import settings

        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "CI must run on PostgreSQL"
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()


@pytest.fixture
def broker_url_set(monkeypatch):
    """Point this process's Celery app at another broker URL for one test.

    Celery reads CELERY_BROKER_URL from the environment before its own
    configuration, so both are patched.
    """
    from interview_bank.celery import app

    def set_url(url):
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setattr(app.conf, "broker_url", url, raising=False)

    return set_url
