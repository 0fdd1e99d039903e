"""Grading rules: ratings from key points, scores and the session summary. Pure functions."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reviews.models import Rating

# Share of key points hit → rating, when the candidate gives none:
#   under 1/3 → again, under 2/3 → hard, under all → good, all → easy.
RATING_THRESHOLDS = ((1 / 3, Rating.AGAIN), (2 / 3, Rating.HARD), (1.0, Rating.GOOD))

# A rating given without ticking key points scores as this share.
RATING_SCORES = {Rating.AGAIN: 0.0, Rating.HARD: 1 / 3, Rating.GOOD: 2 / 3, Rating.EASY: 1.0}


def rating_from_key_points(hit: int, total: int) -> Rating:
    share = hit / total if total else 0.0
    for limit, rating in RATING_THRESHOLDS:
        if share < limit:
            return rating
    return Rating.EASY


@dataclass(frozen=True)
class Graded:
    """What the summary needs of one session question."""

    category: str
    answered: bool
    key_points: int
    key_points_hit: list[int] | None
    rating: str | None


def question_score(item: Graded) -> float:
    """0-1: the share of key points hit; else the rating's share; 0 when unanswered."""
    if not item.answered:
        return 0.0
    if item.key_points_hit is not None and item.key_points:
        return len(item.key_points_hit) / item.key_points
    if item.rating:
        return RATING_SCORES[Rating(item.rating)]
    return 0.0


def session_summary(items: Iterable[Graded], *, started_at: datetime, finished_at: datetime) -> dict:
    """The summary of SPEC §4: every question counts; skipped ones score 0."""
    items = list(items)
    categories: dict[str, list[Graded]] = {}
    for item in items:
        categories.setdefault(item.category, []).append(item)

    def mean(group):
        return round(sum(question_score(i) for i in group) / len(group), 4) if group else 0.0

    answered = sum(1 for i in items if i.answered)
    return {
        "answered": answered,
        "skipped": len(items) - answered,
        "time_used_seconds": max(0, int((finished_at - started_at).total_seconds())),
        "score": mean(items),
        "by_category": [
            {"category": slug, "answered": sum(1 for i in group if i.answered), "score": mean(group)}
            for slug, group in sorted(categories.items())
        ],
    }
