"""Throttles: a sliding-window counter per client, one atomic round trip in the shared cache
(issue 13), and limiting still while Redis is down (issue 12)."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from interview_bank import throttling
from interview_bank.throttling import ThrottleCounter, throttle_counter

pytestmark = pytest.mark.django_db

RATE = 5


@pytest.fixture(autouse=True)
def _low_rates_and_a_fresh_throttle_cache(monkeypatch):
    # Rates are read when DRF loads; patch the class attribute every throttle inherits.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {s: f"{RATE}/min" for s in ("anon", "user", "auth")})
    throttle_counter.reset()
    yield
    throttle_counter.reset()


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


def test_counts_live_in_the_shared_cache_when_it_works(candidate_client, candidate):
    for _ in range(2):
        assert candidate_client.get("/api/v1/questions/").status_code == 200
    window = int(time.time() // 60)
    assert caches["default"].get(f"throttle_user_{candidate.pk}:{window}") == 2  # every process sees these
    assert throttle_counter.fallback.get(f"throttle_user_{candidate.pk}:{window}") is None


def test_after_an_outage_the_shared_cache_is_tried_again_after_a_pause(settings, redis_down, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(throttling.time, "monotonic", lambda: clock[0])
    counter = ThrottleCounter(retry_after=5)
    assert counter.hit("k", "k-before", expire=60) == (1, 0)  # counted in this process
    assert counter.hit("k", "k-before", expire=60) == (2, 0)

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # Redis is back
    assert counter.hit("k", "k-before", expire=60) == (3, 0)  # still paused: no connection attempt yet
    clock[0] += 5
    assert counter.hit("k", "k-before", expire=60) == (1, 0)  # the shared cache again
    assert caches["default"].get("k") == 1


def test_hits_from_many_threads_at_once_are_each_counted():
    """DRF's read-modify-write history loses concurrent updates; the counter must not."""
    hits = 60
    with ThreadPoolExecutor(max_workers=12) as pool:
        counts = list(pool.map(lambda _: throttle_counter.hit("burst", "burst-before", expire=60)[0], range(hits)))
    assert sorted(counts) == list(range(1, hits + 1))


class _Clock:
    def __init__(self, now):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, at the start of a one-minute window."""
    clock = _Clock(60 * 29_000_000.0)
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: clock.now)
    return clock


def _codes(client, count):
    return [client.get("/api/v1/questions/").status_code for _ in range(count)]


def test_the_rate_holds_within_a_window_and_refused_requests_do_not_count(clock, candidate_client, candidate):
    assert _codes(candidate_client, RATE + 3) == [200] * RATE + [429] * 3
    window = int(clock.now // 60)
    assert caches["default"].get(f"throttle_user_{candidate.pk}:{window}") == RATE


def test_the_previous_window_counts_for_the_part_that_still_overlaps(clock, candidate_client):
    assert _codes(candidate_client, RATE) == [200] * RATE
    clock.now += 60 + 24  # 40% into the next window: 60% of the last window's 5 still weigh, 3
    assert _codes(candidate_client, 3) == [200, 200, 429]
    clock.now += 60  # a window later, 60% of the 2 let through then weigh: 1.2, so three more fit
    assert _codes(candidate_client, 4) == [200, 200, 200, 429]


def test_retry_after_says_when_the_next_window_has_room(clock, candidate_client):
    assert _codes(candidate_client, RATE) == [200] * RATE
    clock.now += 30
    refused = candidate_client.get("/api/v1/questions/")
    assert refused.status_code == 429
    # This window is full: the next one, once a fifth of these 5 has slid out (1 + 4 <= 5), 30 + 12 s.
    assert refused["Retry-After"] == "42"
    clock.now += 41
    assert _codes(candidate_client, 1) == [429]
    clock.now += 1
    assert _codes(candidate_client, 1) == [200]


def test_retry_after_says_when_this_window_has_room(clock, candidate_client):
    assert _codes(candidate_client, RATE) == [200] * RATE
    clock.now += 60  # the next window, at its start: the last window's 5 all still weigh
    refused = candidate_client.get("/api/v1/questions/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "12"  # once a fifth of them has slid out
    clock.now += 12
    assert _codes(candidate_client, 1) == [200]


def test_each_client_has_its_own_count(clock, candidate_client, manager_client):
    assert _codes(candidate_client, RATE + 1) == [200] * RATE + [429]
    assert _codes(manager_client, 1) == [200]


def test_the_login_scope_counts_apart_from_the_anon_rate(clock, anon_client, candidate):
    attempts = [
        anon_client.post("/api/v1/auth/token/", {"username": "casey", "password": "wrong"}).status_code
        for _ in range(RATE + 1)
    ]
    assert attempts == [400] * RATE + [429]
    assert anon_client.get("/api/docs/").status_code == 200
