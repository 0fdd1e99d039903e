"""Throttles keep limiting while Redis is down (issue 12), and use the shared cache otherwise."""

import socket

import pytest
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from interview_bank import throttling
from interview_bank.throttling import ThrottleCache, throttle_cache

pytestmark = pytest.mark.django_db

RATE = 5


@pytest.fixture(autouse=True)
def _low_rates_and_a_fresh_throttle_cache(monkeypatch):
    # Rates are read when DRF loads; patch the class attribute every throttle inherits.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {s: f"{RATE}/min" for s in ("anon", "user", "auth")})
    throttle_cache.reset()
    yield
    throttle_cache.reset()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


@pytest.fixture
def redis_down(settings):
    """The production cache settings, pointed at a port where no Redis listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    assert caches["default"].get("anything") is None  # the cache itself swallows the error...
    with pytest.raises(Exception, match="Error 111|Connection refused"):
        caches["default"].client.get("anything")  # ...because Redis is really unreachable


def test_user_throttle_answers_429_at_the_limit_while_redis_is_down(redis_down, candidate_client):
    codes = [candidate_client.get("/api/v1/questions/").status_code for _ in range(RATE + 1)]
    assert codes == [200] * RATE + [429]


def test_login_throttle_answers_429_at_the_limit_while_redis_is_down(redis_down, anon_client, candidate):
    codes = [
        anon_client.post("/api/v1/auth/token/", {"username": "casey", "password": "wrong"}).status_code
        for _ in range(RATE + 1)
    ]
    assert codes == [400] * RATE + [429]


def test_anon_throttle_answers_429_at_the_limit_while_redis_is_down(redis_down, anon_client):
    # The API docs page: open to visitors, under the default (anon and user) throttles.
    codes = [anon_client.get("/api/docs/").status_code for _ in range(RATE + 1)]
    assert codes == [200] * RATE + [429]


def test_throttle_history_lives_in_the_shared_cache_when_it_works(candidate_client, candidate):
    for _ in range(2):
        assert candidate_client.get("/api/v1/questions/").status_code == 200
    history = caches["default"].get(f"throttle_user_{candidate.pk}")
    assert history is not None and len(history) == 2  # the shared cache: every process sees these
    assert throttle_cache.fallback.get(f"throttle_user_{candidate.pk}") is None


def test_after_an_outage_the_shared_cache_is_tried_again_after_a_pause(settings, redis_down, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(throttling.time, "monotonic", lambda: clock[0])
    cache = ThrottleCache(retry_after=5)
    cache.set("k", ["during the outage"], 60)
    assert cache.get("k") == ["during the outage"]  # kept in this process

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # Redis is back
    assert cache.get("k") == ["during the outage"]  # still paused: no connection attempt yet
    clock[0] += 5
    assert cache.get("k") is None  # the shared cache again
    cache.set("k", ["shared"], 60)
    assert caches["default"].get("k") == ["shared"]
