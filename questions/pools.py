"""Draw pools: sorted ids of published questions per (category, difficulty),
and per tag filter.

A draw (a session's, or `GET /questions/random/`) needs, per pool, its size
and a few ids at random positions. Each process keeps the pools it has used
as compact sorted arrays and rebuilds them only when the bank changes
(BankVersion), so a draw costs one indexed single-row read plus work
proportional to the questions drawn and the candidate's history — not to the
size of the bank.
"""

import secrets
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

from django.db import connection
from django.db.models import F

from questions.models import BankVersion, Category, Question

PoolKey = tuple[str, str]  # (category slug, difficulty)
# A tag filter: (tag slugs, category slugs, difficulties), each sorted; empty means any.
TagPoolKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

_READ_VERSION = "SELECT {value} FROM {table} WHERE {id} = %s".format(  # noqa: S608 - names, quoted
    value=connection.ops.quote_name("value"),
    table=connection.ops.quote_name(BankVersion._meta.db_table),
    id=connection.ops.quote_name("id"),
)


def bank_version() -> int:
    # Read on every bank request, cached or not: plain SQL, as building the
    # ORM query cost three times running it.
    with connection.cursor() as cursor:
        cursor.execute(_READ_VERSION, [1])
        row = cursor.fetchone()
    if row is None:
        # Made by a migration; recreated if a flush removed it, from a random
        # value, so keys cached before the flush (shared cache, other
        # processes) are not met again by the new bank's versions.
        return BankVersion.objects.get_or_create(pk=1, defaults={"value": secrets.randbits(48)})[0].value
    return row[0]


def bank_version_bump() -> None:
    """Call inside the transaction of every change to what is published."""
    BankVersion.objects.filter(pk=1).update(value=F("value") + 1)


def all_pool_keys(version: int | None = None) -> list[PoolKey]:
    """Every (category, difficulty) pool, from the categories of the bank at `version`."""
    slugs = category_slugs_cache.get([ALL_CATEGORIES], version=version)[ALL_CATEGORIES]
    return [(slug, difficulty) for slug in slugs for difficulty in Question.Difficulty.values]


class PoolCache:
    """Pools by key for the current bank version; `load` builds the missing ones."""

    def __init__(self, load: Callable[[list], dict]):
        self._load = load
        self._lock = threading.Lock()
        self._version: int | None = None
        self._pools: dict[PoolKey, array] = {}

    def get(self, keys: Iterable[PoolKey], *, version: int | None = None) -> dict[PoolKey, array]:
        """The pools for `keys`; `version` is the bank version the caller read
        just before (one read serves several caches), else it is read here."""
        keys = list(dict.fromkeys(keys))
        # Read the version before the ids: a change committed in between
        # makes the next call see a newer version and rebuild, so cached ids
        # are never labelled newer than they are.
        if version is None:
            version = bank_version()
        with self._lock:
            if version != self._version:
                self._pools, self._version = {}, version
            pools = {key: self._pools[key] for key in keys if key in self._pools}
        missing = [key for key in keys if key not in pools]
        if missing:
            built = self._load(missing)
            with self._lock:
                if self._version == version:
                    self._pools.update(built)
            pools.update(built)
        return pools

    def clear(self) -> None:
        with self._lock:
            self._pools, self._version = {}, None


def _load_pools(keys: list[PoolKey]) -> dict[PoolKey, array]:
    categories = dict(Category.objects.filter(slug__in={c for c, _ in keys}).values_list("slug", "id"))
    pools = {key: array("q") for key in keys}
    for slug, difficulty in keys:
        if slug not in categories:
            continue
        ids = (
            Question.objects.filter(
                status=Question.Status.PUBLISHED, category_id=categories[slug], difficulty=difficulty
            )
            .order_by("id")
            .values_list("id", flat=True)
        )
        # A plain fetch: a server-side cursor (`.iterator()`) made each pool
        # 15x slower to read (100 ms, not 6, per 3.6k ids at 100k questions).
        pools[(slug, difficulty)].extend(ids)
    return pools


def _load_tag_pools(keys: list[TagPoolKey]) -> dict[TagPoolKey, array]:
    """Published questions having any of the tags (and in the categories and
    difficulties, when given): one indexed read per filter and bank version."""
    pools = {}
    for tags, categories, difficulties in keys:
        questions = Question.objects.filter(status=Question.Status.PUBLISHED, tags__slug__in=tags)
        if categories:
            questions = questions.filter(category__slug__in=categories)
        if difficulties:
            questions = questions.filter(difficulty__in=difficulties)
        ids = questions.order_by("id").values_list("id", flat=True).distinct()
        pools[(tags, categories, difficulties)] = array("q", ids)
    return pools


def contains(pool: Sequence[int], question_id: int) -> bool:
    i = bisect_left(pool, question_id)
    return i < len(pool) and pool[i] == question_id


def _load_category_slugs(keys: list[str]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(Category.objects.order_by("slug").values_list("slug", flat=True)) for key in keys}


pool_cache = PoolCache(_load_pools)
tag_pool_cache = PoolCache(_load_tag_pools)
# The category slugs, under one key: categories change only with the bank version.
ALL_CATEGORIES = "all"
category_slugs_cache = PoolCache(_load_category_slugs)
