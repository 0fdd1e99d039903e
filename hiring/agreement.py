"""Agreement between scorers (SPEC §10): Krippendorff's alpha, pure and tested against published examples."""

from collections import Counter
from itertools import permutations

from hiring.models import Scorecard, ScorecardScore
from hiring.scorecards import scorable_sessions


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


def _alpha_or_none(units: dict) -> float | None:
    """Null below two scorers on two sessions: fewer than two units rated by two or more scorers."""
    pairable = [list(ratings.values()) for ratings in units.values() if len(ratings) >= 2]
    if len(pairable) < 2:
        return None
    alpha = krippendorff_alpha(pairable, level="ordinal")
    return None if alpha is None else round(alpha, 4)


def _drift(units: dict) -> dict:
    """Per scorer: units compared, times above / below the others' mean, mean difference."""
    out: dict = {}
    for ratings in units.values():
        if len(ratings) < 2:
            continue
        for scorer, value in ratings.items():
            others = [v for s, v in ratings.items() if s != scorer]
            diff = value - sum(others) / len(others)
            entry = out.setdefault(scorer, {"compared": 0, "above": 0, "below": 0, "total": 0.0})
            entry["compared"] += 1
            entry["above"] += diff > 0
            entry["below"] += diff < 0
            entry["total"] += diff
    return out


def question_set_agreement(*, question_set, user) -> dict:
    """Agreement over the set's sessions `user` may read (SPEC §10)."""
    sessions = scorable_sessions(user=user, question_set=question_set)
    cards = Scorecard.objects.filter(session__in=sessions).select_related("scorer")
    recommendation: dict = {}
    for card in cards:
        recommendation.setdefault(card.session_id, {})[card.scorer.username] = Scorecard.RECOMMENDATION_ORDER[
            card.recommendation
        ]
    by_question: dict = {}
    scores = ScorecardScore.objects.filter(scorecard__in=cards).values_list(
        "session_question__question_id", "scorecard__session_id", "scorecard__scorer__username", "score"
    )
    for question_id, session_id, scorer, score in scores:
        by_question.setdefault(question_id, {}).setdefault(session_id, {})[scorer] = score
    drift = _drift(recommendation)
    return {
        "sessions": len(recommendation),
        "scorers": len({card.scorer_id for card in cards}),
        "recommendation_agreement": _alpha_or_none(recommendation),
        "by_question": [
            {
                "question_id": qid,
                "ratings": sum(len(r) for r in units.values()),
                "agreement": _alpha_or_none(units),
            }
            for qid, units in sorted(by_question.items())
        ],
        "drift": [
            {
                "scorer": scorer,
                "compared": e["compared"],
                "above": e["above"],
                "below": e["below"],
                "mean_difference": round(e["total"] / e["compared"], 4),
            }
            for scorer, e in sorted(drift.items())
        ],
    }
