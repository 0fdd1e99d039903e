"""Quotas for a draw: which pools a request's filters or a blueprint's rules select.

The pools come from the per-process pool cache (questions.pools), so building
a quota costs a single-row version read, not a scan of the bank; a tag
filter reads its ids from the database once per bank version and process.
"""

from itertools import product

from questions.models import Question
from questions.pools import PoolKey, all_pool_keys, bank_version, pool_cache, tag_pool_cache
from questions.sampling import Quota


def quota_for_filters(
    *, count: int, categories: list[str] | None, difficulties: list[str] | None, tags: list[str] | None
) -> Quota:
    """One quota over every (category, difficulty) pool the filters allow."""
    name = pool_name(categories, difficulties, tags)
    if tags:
        key = (tuple(sorted(set(tags))), tuple(sorted(set(categories or ()))), tuple(sorted(set(difficulties or ()))))
        return Quota(name=name, pools=[tag_pool_cache.get([key])[key]], count=count)
    version = bank_version()  # one read for the category list and the pools
    keys = _pool_keys(categories, difficulties, version)
    pools = pool_cache.get(keys, version=version)
    return Quota(name=name, pools=[pools[key] for key in keys], count=count)


def quotas_for_rules(rules: list[dict]) -> list[Quota]:
    """One quota per rule {category, difficulty?, count}, reading the pools in one go."""
    keys_per_rule = [_pool_keys([r["category"]], _difficulties(r), None) for r in rules]
    pools = pool_cache.get(key for keys in keys_per_rule for key in keys)
    return [
        Quota(
            name=pool_name([rule["category"]], _difficulties(rule), None),
            pools=[pools[key] for key in keys],
            count=rule["count"],
        )
        for rule, keys in zip(rules, keys_per_rule, strict=True)
    ]


def pool_name(categories: list[str] | None, difficulties: list[str] | None, tags: list[str] | None) -> str:
    """How an error names a pool: "'databases, senior, tagged indexing'"."""
    parts = [
        "/".join(categories) if categories else "all categories",
        "/".join(difficulties) if difficulties else "any difficulty",
    ]
    if tags:
        parts.append("tagged " + "/".join(tags))
    return f"'{', '.join(parts)}'"


def _difficulties(rule: dict) -> list[str] | None:
    return [rule["difficulty"]] if rule.get("difficulty") else None


def _pool_keys(categories: list[str] | None, difficulties: list[str] | None, version: int | None) -> list[PoolKey]:
    if not categories:
        return [key for key in all_pool_keys(version) if not difficulties or key[1] in difficulties]
    return list(product(categories, difficulties or Question.Difficulty.values))
