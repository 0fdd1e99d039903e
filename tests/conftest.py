"""Personas and API clients shared by the suite."""

import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from hiring.services import invitation_create, question_set_create
from interviews.services import answer_submit, session_start_from_request
from questions.api.caching import read_cache
from questions.pools import category_slugs_cache, pool_cache, tag_pool_cache
from reviews.services import card_rate
from tests.factories import CategoryFactory, HiringManagerFactory, QuestionFactory, UserFactory


def _clear_cache():
    """Empty this test process's cache. On Redis the two xdist workers share one
    database, so each keeps its keys under its own prefix and deletes only those
    (clear() would FLUSHDB the other worker's throttle counters mid-test)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings):
    # Argon2 is the production hasher (tested on its own); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "django_redis" in settings.CACHES["default"]["BACKEND"]:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{worker}"}}
    _clear_cache()  # throttle counters and cached data never leak between tests
    # Rolled-back tests reuse BankVersion values: pools must not outlive a test.
    pool_cache.clear()
    tag_pool_cache.clear()
    category_slugs_cache.clear()
    read_cache.clear()
    yield
    _clear_cache()
    pool_cache.clear()
    tag_pool_cache.clear()
    category_slugs_cache.clear()
    read_cache.clear()


@pytest.fixture
def bank(db):
    """Six published mid-level databases questions of 5 minutes (test files may define their own)."""
    databases = CategoryFactory(slug="databases")
    return QuestionFactory.create_batch(6, category=databases, difficulty="mid", expected_minutes=5)


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


@pytest.fixture
def web_world(candidate, hiring_manager):
    """A candidate with a running session (position 1 answered), a due card and an invitation: ids by name."""
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


@pytest.fixture
def api_client_for(db):
    """An API client with a user's token: api_client_for(user)."""
    return _client_for
