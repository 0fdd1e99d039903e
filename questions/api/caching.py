"""Bank reads served from a cache keyed by the bank's version (STYLE: hot read paths).

A GET whose answer depends only on the bank — question lists and, for
candidates, details; categories with their counts — is rendered once per
(bank version, what the caller may see, normalised request) and kept

- in this process, in a bounded LRU: an entry never changes under its key,
  so a process-local copy cannot go stale, and a hit needs no round trip;
- in the shared cache (Redis in production), so the other web processes
  reuse it instead of rendering it again.

Every committed change to the bank moves `BankVersion`, which moves every
key; entries of older versions are never asked for again and age out. The
ETag is derived from the key, so a revalidation (`If-None-Match`) is
answered 304 before anything is read or rendered. Page counts are cached the
same way, per version and filter, so page 2 does not count again.
"""

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from accounts.roles import is_hiring_manager
from questions.pools import bank_version

# Query parameters that pick a page of a result, not the result.
PAGING_PARAMETERS = frozenset({"page", "page_size", "ordering"})


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


class ReadCache:
    """A process-local LRU in front of the shared cache, for entries that never change."""

    def __init__(self, *, max_bytes: int, timeout: int):
        self._timeout = timeout
        self._lock = threading.Lock()
        self._local: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=_size)

    def get(self, key: str):
        with self._lock:
            entry = self._local.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                self._remember(key, entry)
        return entry

    def set(self, key: str, entry) -> None:
        self._remember(key, entry)
        cache.set(key, entry, self._timeout)

    def clear(self) -> None:
        """Forget this process's copies (tests: rolled-back transactions reuse versions)."""
        with self._lock:
            self._local.clear()

    def _remember(self, key, entry) -> None:
        if _size(entry) <= self._local.maxsize:
            with self._lock:
                self._local[key] = entry


def _size(entry) -> int:
    return len(entry.body) + 256 if isinstance(entry, CachedResponse) else 64


read_cache = ReadCache(max_bytes=settings.BANK_READ_CACHE_LOCAL_BYTES, timeout=settings.BANK_READ_CACHE_TIMEOUT)


def read_key(request, *, version: int, kind: str, visibility: str, paging: bool = True, extra=()) -> str:
    """`bank:<version>:<kind>:<digest>` of who may see what and the normalised request.

    The query is normalised to its sorted (name, value) pairs, so parameter
    order does not make a new entry. The scheme and host are part of it: the
    `next`/`previous` links in a page are absolute.
    """
    params = sorted(
        (name, value)
        for name, values in request.query_params.lists()
        if paging or name not in PAGING_PARAMETERS
        for value in values
    )
    described = json.dumps([visibility, request.scheme, request.get_host(), params, list(extra)])
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    return f"bank:{version}:{kind}:{digest}"


def visibility_of(user) -> str:
    """What a caller may see of the bank: everything, or published questions without rubrics."""
    return "hiring-manager" if is_hiring_manager(user) else "candidate"


class BankReadsMixin:
    """For bank viewsets: serve GETs from the read cache, and say how clients may cache them.

    Responses differ per role, so shared caches must key on the credentials
    (`Vary`); clients keep them and revalidate (`no-cache`) with the ETag.
    """

    bank_version: int | None = None

    def cached_read(self, request, kind: str, render: Callable[[], HttpResponse], *, extra=()) -> HttpResponse:
        if request.accepted_renderer.format != "json":  # the browsable API renders each time
            return render()
        self.bank_version = bank_version()  # before reading anything it describes
        key = read_key(
            request, version=self.bank_version, kind=kind, visibility=visibility_of(request.user), extra=extra
        )
        etag = '"' + key.replace(":", "-") + '"'
        tagged = HttpResponse(headers={"ETag": etag})
        not_modified = get_conditional_response(request, etag=etag, response=tagged)
        if not_modified is not tagged:
            return not_modified
        hit = read_cache.get(key)
        if hit is not None:
            return HttpResponse(hit.body, content_type=hit.content_type, headers={"ETag": etag, **dict(hit.headers)})
        response = render()
        if response.status_code == 200:
            response["ETag"] = etag
            response.add_post_render_callback(lambda rendered: read_cache.set(key, _entry(rendered)))
        return response

    def count_cache_key(self, request) -> str | None:
        """Where the pagination keeps this list's count (the filters, not the page)."""
        if self.bank_version is None:
            return None
        return read_key(
            request, version=self.bank_version, kind="count", visibility=visibility_of(request.user), paging=False
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, ["Authorization", "Cookie"])
            patch_cache_control(response, private=True, no_cache=True)
        return response


def _entry(response) -> CachedResponse:
    kept = tuple((name, response[name]) for name in ("Last-Modified",) if name in response)
    return CachedResponse(body=response.content, content_type=response["Content-Type"], headers=kept)
