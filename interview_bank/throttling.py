"""DRF throttles that keep limiting while Redis is down.

The default cache ignores Redis errors (django-redis IGNORE_EXCEPTIONS) so a
Redis outage degrades caching instead of failing requests; read through it, a
throttle's history would always be empty and nothing would ever be limited.
These throttles read and write the history through `ThrottleCache`: the shared
cache normally, and while it raises, a per-process memory cache, so during an
outage each web process limits on its own (a client can get up to the rate
times the number of processes).
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.exceptions import ConnectionInterrupted
from rest_framework import throttling

logger = logging.getLogger(__name__)

# After a failure the shared cache is left alone for this long, so an outage
# does not cost every request a connection attempt.
RETRY_AFTER_SECONDS = 5.0


class ThrottleCache:
    """The `get`/`set` a DRF throttle needs, over the shared cache with a per-process fallback."""

    def __init__(self, *, alias: str = "default", retry_after: float = RETRY_AFTER_SECONDS):
        self.alias = alias
        self.retry_after = retry_after
        self.fallback = LocMemCache(f"throttle-fallback-{alias}", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        self._lock = threading.Lock()
        self._down_until = 0.0

    def _shared(self):
        cache = caches[self.alias]
        # django-redis's client raises where the cache itself would swallow the error.
        return getattr(cache, "client", cache)

    def reset(self) -> None:
        """Forget the outage and the per-process counts (tests)."""
        self._down_until = 0.0
        self.fallback.clear()

    def _call(self, method: str, *args):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self._shared(), method)(*args)
            except ConnectionInterrupted as exc:
                with self._lock:
                    self._down_until = time.monotonic() + self.retry_after
                logger.warning("throttle cache %r unreachable, limiting per process: %s", self.alias, exc)
        return getattr(self.fallback, method)(*args)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT):
        return self._call("set", key, value, timeout)


throttle_cache = ThrottleCache()


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = throttle_cache


class UserRateThrottle(throttling.UserRateThrottle):
    cache = throttle_cache


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    cache = throttle_cache
