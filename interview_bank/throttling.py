"""DRF throttles that count in one atomic round trip, and keep limiting while Redis is down.

DRF's own throttles keep each client's request history (a list of
timestamps, as long as the rate) in the cache: every request reads the list,
trims it and writes it back. That is two round trips and a pickle of up to
`rate` floats per request, and across web processes the read-modify-write
loses updates: two processes read the same history and each writes back its
own, so a client spread over processes gets past the rate.

These throttles keep DRF's rates, scopes and cache keys and count instead
with the sliding-window counter (the estimate Cloudflare describes for its
rate limiting): a counter per client and fixed window, incremented
atomically, and the previous window's count weighted by how much of it still
overlaps the last `duration` seconds. On Redis that is one pipelined round
trip (INCR, EXPIRE, GET) whatever the rate. As in DRF, a refused request does
not count (its increment is taken back).

The default cache ignores Redis errors (django-redis IGNORE_EXCEPTIONS) so a
Redis outage degrades caching instead of failing requests; counted through
it, nothing would ever be limited. `ThrottleCounter` talks to Redis directly
and, while Redis is unreachable, counts in a per-process memory cache, so
during an outage each web process limits on its own (a client can get up to
the rate times the number of processes).
"""

import contextlib
import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import throttling

logger = logging.getLogger(__name__)

# After a failure the shared cache is left alone for this long, so an outage
# does not cost every request a connection attempt.
RETRY_AFTER_SECONDS = 5.0
UNREACHABLE = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


class ThrottleCounter:
    """Per-window hit counters in the shared cache, with a per-process fallback."""

    def __init__(self, *, alias: str = "default", retry_after: float = RETRY_AFTER_SECONDS):
        self.alias = alias
        self.retry_after = retry_after
        self.fallback = LocMemCache(f"throttle-fallback-{alias}", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        self._lock = threading.Lock()
        self._down_until = 0.0

    def reset(self) -> None:
        """Forget the outage and the per-process counts (tests)."""
        self._down_until = 0.0
        self.fallback.clear()

    def hit(self, key: str, previous_key: str, *, expire: int) -> tuple[int, int]:
        """Count one hit under `key`; return it with the count under `previous_key`.

        `expire` (seconds) must outlive the window after `key`'s, which reads it as its previous.
        """
        return self._call("_hit", key, previous_key, expire)

    def take_back(self, key: str) -> None:
        """Undo one hit under `key` (a refused request does not count)."""
        self._call("_take_back", key)

    def _call(self, method: str, *args):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self, method)(caches[self.alias], *args)
            except UNREACHABLE as exc:
                with self._lock:
                    self._down_until = time.monotonic() + self.retry_after
                logger.warning("throttle cache %r unreachable, limiting per process: %s", self.alias, exc)
        return getattr(self, method)(self.fallback, *args)

    @staticmethod
    def _hit(cache, key: str, previous_key: str, expire: int) -> tuple[int, int]:
        if isinstance(cache, RedisCache):
            # The raw client: it raises where the cache itself would swallow the error.
            key, previous_key = cache.client.make_key(key), cache.client.make_key(previous_key)
            pipe = cache.client.get_client(write=True).pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, expire)
            pipe.get(previous_key)
            count, _, previous = pipe.execute()
            return count, int(previous or 0)
        # Other backends (LocMem for `make run`, the fallback): add() then the backend's own incr().
        cache.add(key, 0, expire)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between the two calls
            cache.set(key, 1, expire)
            count = 1
        return count, int(cache.get(previous_key) or 0)

    @staticmethod
    def _take_back(cache, key: str) -> None:
        if isinstance(cache, RedisCache):
            cache.client.get_client(write=True).decr(cache.client.make_key(key))
            return
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to take back
            cache.decr(key)


throttle_counter = ThrottleCounter()


class SlidingWindowCounterThrottle(throttling.SimpleRateThrottle):
    """DRF's SimpleRateThrottle (rates, scopes, keys), counted by `throttle_counter`.

    Subclasses list DRF's throttle first, so its `allow_request` (the scoped
    throttle reads the view's scope there) runs before this one.
    """

    counter = throttle_counter

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.elapsed = self.now - window * self.duration
        current_key = f"{self.key}:{window}"
        self.count, self.previous = self.counter.hit(
            current_key, f"{self.key}:{window - 1}", expire=2 * self.duration + 1
        )
        if self._estimate(self.count, self.previous, self.elapsed) <= self.num_requests:
            return True
        self.counter.take_back(current_key)
        self.count -= 1
        return False

    def _estimate(self, count: int, previous: int, elapsed: float) -> float:
        """Requests in the last `duration` seconds: this window's, and the previous
        window's share that still overlaps them, as if spread evenly over it."""
        return count + previous * (1 - elapsed / self.duration)

    def wait(self):
        """Seconds until one more request would be allowed (the Retry-After header)."""
        allowed = self.num_requests - 1  # requests already counted that leave room for one more
        if self.count <= allowed:
            if not self.previous:
                return 0.0
            # This window has room once enough of the previous one has slid out.
            share = 1 - (allowed - self.count) / self.previous
            return max(share * self.duration - self.elapsed, 0.0)
        # Only in the next window, once enough of this one has slid out.
        share = max(1 - allowed / self.count, 0.0)
        return self.duration - self.elapsed + share * self.duration


class AnonRateThrottle(throttling.AnonRateThrottle, SlidingWindowCounterThrottle):
    pass


class UserRateThrottle(throttling.UserRateThrottle, SlidingWindowCounterThrottle):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, SlidingWindowCounterThrottle):
    pass
