"""Agreement between scorers (SPEC §10): Krippendorff's alpha, pure and tested against published examples."""

from collections import Counter
from itertools import permutations


def _ordinal_delta(values: list, counts: Counter):
    """Krippendorff's ordinal metric: (sum of n_g from c to k minus half the ends) squared."""
    index = {v: i for i, v in enumerate(values)}

    def delta(c, k):
        lo, hi = sorted((index[c], index[k]))
        total = sum(counts[values[g]] for g in range(lo, hi + 1))
        return (total - (counts[values[lo]] + counts[values[hi]]) / 2) ** 2

    return delta


def krippendorff_alpha(units: list[list], *, level: str = "ordinal") -> float | None:
    """Alpha over `units`, each the list of values its coders gave (missing values left out).

    Units with fewer than two values are not pairable and are dropped; None when fewer than
    two pairable values remain or there is no variation at all (alpha is undefined then).
    """
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [u for u in pairable if len(u) >= 2]
    coincidence: Counter = Counter()
    for unit in pairable:
        for c, k in permutations(unit, 2):
            coincidence[(c, k)] += 1 / (len(unit) - 1)
    counts: Counter = Counter()
    for (c, _k), weight in coincidence.items():
        counts[c] += weight
    n = sum(counts.values())
    if n < 2:
        return None
    values = sorted(counts)
    if level == "nominal":
        delta = lambda c, k: float(c != k)  # noqa: E731
    elif level == "interval":
        delta = lambda c, k: float(c - k) ** 2  # noqa: E731
    else:
        delta = _ordinal_delta(values, counts)
    observed = sum(w * delta(c, k) for (c, k), w in coincidence.items())
    expected = sum(counts[c] * counts[k] * delta(c, k) for c in values for k in values) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected
