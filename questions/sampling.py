"""How questions are drawn: pure functions of pools, history and an rng.

No ORM and no clock here: callers pass sorted id pools (questions.pools), the
candidate's history and a seeded `random.Random`, so a seed reproduces a draw.
"""

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from questions.pools import contains

# Seeds are stored in a signed 64-bit column and accepted by the API up to this.
MAX_SEED = 2**63 - 1


def draw_uniform(ids: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """Up to `count` distinct ids, each subset equally likely, in random order.

    Picks positions, not a copy of `ids`, so the cost is in the ids drawn
    (a PoolUnion of a million costs what one of ten does). `ids` must be in a
    stable order (pools are sorted) for a seeded rng to reproduce a draw.
    """
    return [ids[i] for i in rng.sample(range(len(ids)), min(count, len(ids)))]


class PoolUnion:
    """Several disjoint sorted pools seen as one sequence, without copying them."""

    def __init__(self, pools: Sequence[Sequence[int]]):
        self.pools = [p for p in pools if len(p)]
        self.size = sum(len(p) for p in self.pools)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        for pool in self.pools:
            if index < len(pool):
                return pool[index]
            index -= len(pool)
        raise IndexError(index)

    def __contains__(self, question_id: int) -> bool:
        # A plain loop: this runs for every seen question of every draw.
        for pool in self.pools:  # noqa: SIM110
            if contains(pool, question_id):
                return True
        return False


@dataclass(frozen=True)
class Quota:
    """`count` questions from the union of `pools`; `name` says which, for errors."""

    name: str
    pools: Sequence[Sequence[int]]
    count: int


class PoolTooSmall(Exception):
    def __init__(self, quota: Quota, holds: int, taken: int = 0):
        self.quota, self.holds, self.taken = quota, holds, taken
        detail = f" ({taken} already drawn by an earlier quota)" if taken else ""
        super().__init__(
            f"The pool {quota.name} holds {holds} published question{'s' if holds != 1 else ''}"
            f"{detail}; {quota.count} asked."
        )


@dataclass
class Draw:
    question_ids: list[int] = field(default_factory=list)
    reused: int = 0  # seen before, drawn again because the unseen ran out
    due: int = 0  # taken from due review cards


def draw_session(
    quotas: Sequence[Quota],
    *,
    rng: random.Random,
    seen: Mapping[int, Hashable] | None = None,
    due: Sequence[int] = (),
    exclude_seen: bool = True,
) -> Draw:
    """Draw every quota in order, then shuffle: no question twice.

    Within a quota: due review ids (most overdue first) fill slots first;
    then a uniform draw among questions not drawn yet and, with
    `exclude_seen`, not in `seen` (id -> when last asked); when those run out,
    the least recently asked seen questions are reused. Raises PoolTooSmall
    when a pool cannot supply its count at all.
    """
    seen = seen or {}
    result = Draw()
    chosen: set[int] = set()
    for quota in quotas:
        union = PoolUnion(quota.pools)
        taken_before = sum(1 for qid in chosen if qid in union)
        if union.size - taken_before < quota.count:
            raise PoolTooSmall(quota, union.size, taken_before)
        picked: list[int] = []
        for qid in due:
            if len(picked) == quota.count:
                break
            if qid not in chosen and qid in union:
                picked.append(qid)
                chosen.add(qid)
        result.due += len(picked)

        seen_here = [qid for qid in seen if qid not in chosen and qid in union] if exclude_seen else []
        excluded = chosen | set(seen_here)
        excluded_here = taken_before + len(picked) + len(seen_here)
        fresh = _draw_excluding(union, excluded, excluded_here, quota.count - len(picked), rng)
        picked += fresh
        chosen.update(fresh)

        missing = quota.count - len(picked)
        if missing:
            oldest_first = sorted(seen_here, key=lambda qid: (seen[qid], qid))[:missing]
            picked += oldest_first
            chosen.update(oldest_first)
            result.reused += len(oldest_first)
        result.question_ids += picked
    rng.shuffle(result.question_ids)
    return result


def _draw_excluding(union: PoolUnion, excluded: set[int], excluded_here: int, want: int, rng) -> list[int]:
    """Up to `want` distinct ids of `union` not in `excluded`, uniformly."""
    available = union.size - excluded_here
    want = min(want, available)
    if want <= 0:
        return []
    if available * 2 >= union.size:
        # Mostly available: rejection sampling, under two tries per pick on
        # average, touching only the drawn positions.
        picked: list[int] = []
        taken: set[int] = set()
        while len(picked) < want:
            qid = union[rng.randrange(union.size)]
            if qid not in excluded and qid not in taken:
                taken.add(qid)
                picked.append(qid)
        return picked
    # Mostly excluded: the union is at most twice the exclusions (the
    # candidate's history), so listing it is cheap.
    candidates = [union[i] for i in range(union.size) if union[i] not in excluded]
    return rng.sample(candidates, want)
