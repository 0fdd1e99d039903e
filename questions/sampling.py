"""How questions are drawn: pure functions of candidate ids and an rng."""

import random
from collections.abc import Sequence


def draw_uniform(ids: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """Up to `count` distinct ids, each subset equally likely, in random order.

    `ids` must be in a stable order (e.g. sorted) for a seeded rng to
    reproduce the same draw.
    """
    return rng.sample(list(ids), min(count, len(ids)))
