"""Question analysis for hiring managers (SPEC §10): how candidates fared on each question.

Per question, over every time it was asked (`SessionQuestion` rows):

- `times_asked`, `times_answered`; `exposure`: distinct candidates who were asked it.
- `facility` (also `mean_score`, its older name): the mean score 0-1 over the
  answered asks, a score being `interviews.grading.question_score` (share of
  key points hit, else the rating's share).
- `mean_time_seconds`: mean time spent over answered asks that recorded one;
  `again_share`: share of the answers rated `again`.
- `discrimination`: Pearson's r between x_s, the question's score in session
  s, and y_s, the rest of that session's score: the mean score of the session's
  OTHER questions (unanswered ones score 0, as in the session summary), over
  the sessions s where the question was answered and that have other questions:

      r = Σ (x_s - x̄)(y_s - ȳ) / sqrt(Σ (x_s - x̄)² · Σ (y_s - ȳ)²)

  Null below 5 such sessions, or when either side has zero variance.
- `flagged`, with `flags` saying why in words, when there are at least 5 answers and
  everyone fails (facility < 0.3, or more than half rated `again`) or it does not
  discriminate (discrimination < 0.2; a question everyone scores the same on does
  not discriminate either, though its r is null).
- `retirement_suggested`, with its reason in `flags`: at least 20 answers and
  discrimination < 0.1 (or everyone scores the same) or facility < 0.15.

Cost: two queries whatever the number of questions: one aggregate per question,
and one pass over the rows of the sessions in which any of them was answered.
"""

from collections import defaultdict
from math import sqrt

from django.db.models import Avg, Count, Q, QuerySet

from interviews.grading import Graded, question_score
from interviews.models import SessionQuestion

MIN_ANSWERS = 5  # below this, no discrimination and no flag
FAILED_FACILITY = 0.3
FAILED_AGAIN_SHARE = 0.5
LOW_DISCRIMINATION = 0.2
RETIREMENT_MIN_ANSWERS = 20
RETIREMENT_DISCRIMINATION = 0.1
RETIREMENT_FACILITY = 0.15

# Sums of squared deviations below this are zero variance (scores are 0-1, floats drift).
_ZERO_VARIANCE = 1e-12


def question_stats(*, question_ids) -> dict[int, dict]:
    """{question id: stats} for every id given (the `questions.hooks.question_stats` contract).

    `question_ids` may be a list or a QuerySet of ids; a QuerySet stays a subquery,
    so a whole bank's filter is not sent to the database as a list of ids.
    """
    ids = list(question_ids)
    in_sql = question_ids if isinstance(question_ids, QuerySet) else ids
    answered = Q(answered_at__isnull=False)
    counts = {
        row["question_id"]: row
        for row in SessionQuestion.objects.filter(question_id__in=in_sql)
        .values("question_id")
        .annotate(
            asked=Count("pk"),
            answered=Count("pk", filter=answered),
            again=Count("pk", filter=answered & Q(rating="again")),
            mean_time=Avg("time_spent_seconds", filter=answered),
            exposure=Count("session__candidate", distinct=True),
        )
        .order_by()
    }
    scores, pairs = _scores_and_pairs(in_sql, wanted=set(counts))
    return {qid: _stats_of(counts.get(qid), scores.get(qid, []), pairs.get(qid, [])) for qid in ids}


def _scores_and_pairs(in_sql, *, wanted: set[int]) -> tuple[dict[int, list[float]], dict[int, list[tuple]]]:
    """One pass over the sessions where a wanted question was answered: each answer's
    score, and (score, rest of the session's score) pairs for discrimination."""
    scores: dict[int, list[float]] = defaultdict(list)
    pairs: dict[int, list[tuple[float, float]]] = defaultdict(list)
    if not wanted:
        return scores, pairs
    involved = SessionQuestion.objects.filter(question_id__in=in_sql, answered_at__isnull=False).values("session_id")
    rows = (
        SessionQuestion.objects.filter(session_id__in=involved)
        .order_by("session_id")
        .values_list("session_id", "question_id", "answered_at", "key_points", "key_points_hit", "rating", "category")
    )
    session, items = None, []
    for row in rows.iterator(chunk_size=2000):
        if row[0] != session:
            _add_session(items, wanted, scores, pairs)
            session, items = row[0], []
        _, qid, answered_at, key_points, hit, rating, category = row
        graded = Graded(
            category=category, answered=answered_at is not None, key_points=len(key_points), key_points_hit=hit,
            rating=rating,
        )  # fmt: skip
        items.append((qid, graded.answered, question_score(graded)))
    _add_session(items, wanted, scores, pairs)
    return scores, pairs


def _add_session(items, wanted, scores, pairs) -> None:
    total, others = sum(score for _, _, score in items), len(items) - 1
    for qid, answered, score in items:
        if answered and qid in wanted:
            scores[qid].append(score)
            if others:
                pairs[qid].append((score, (total - score) / others))


def pearson(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson's r of the pairs; None when either side has zero variance (or no pairs)."""
    if not pairs:
        return None
    n = len(pairs)
    mean_x, mean_y = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    if sxx < _ZERO_VARIANCE or syy < _ZERO_VARIANCE:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    return max(-1.0, min(1.0, sxy / sqrt(sxx * syy)))


def _stats_of(counts: dict | None, scores: list[float], pairs: list[tuple[float, float]]) -> dict:
    asked = counts["asked"] if counts else 0
    answered = counts["answered"] if counts else 0
    facility = round(sum(scores) / len(scores), 4) if scores else None
    again_share = round(counts["again"] / answered, 4) if answered else None
    mean_time = counts["mean_time"] if counts else None

    enough = len(pairs) >= MIN_ANSWERS
    discrimination = pearson(pairs) if enough else None
    # Everyone scored the same: nothing to correlate, and nothing to tell candidates apart by.
    same_score = enough and discrimination is None and _variance_is_zero([x for x, _ in pairs])

    flags: list[str] = []
    if answered >= MIN_ANSWERS and facility is not None and facility < FAILED_FACILITY:
        flags.append(f"everyone fails: facility {facility:.2f} is under {FAILED_FACILITY}")
    if answered >= MIN_ANSWERS and again_share is not None and again_share > FAILED_AGAIN_SHARE:
        flags.append(f"everyone fails: {again_share:.0%} of the answers were rated again (more than half)")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(f"does not discriminate: discrimination {discrimination:.2f} is under {LOW_DISCRIMINATION}")
    if same_score:
        flags.append("does not discriminate: every candidate scores the same on it")
    flagged = bool(flags)

    retire: list[str] = []
    if answered >= RETIREMENT_MIN_ANSWERS:
        if discrimination is not None and discrimination < RETIREMENT_DISCRIMINATION:
            retire.append(
                f"retirement suggested: discrimination {discrimination:.2f} is under {RETIREMENT_DISCRIMINATION} "
                f"over {answered} answers"
            )
        elif same_score:
            retire.append(f"retirement suggested: every candidate scores the same over {answered} answers")
        if facility is not None and facility < RETIREMENT_FACILITY:
            retire.append(
                f"retirement suggested: facility {facility:.2f} is under {RETIREMENT_FACILITY} over {answered} answers"
            )

    return {
        "times_asked": asked,
        "times_answered": answered,
        "exposure": counts["exposure"] if counts else 0,
        "mean_score": facility,
        "facility": facility,
        "discrimination": round(discrimination, 4) if discrimination is not None else None,
        "mean_time_seconds": round(mean_time, 1) if mean_time is not None else None,
        "again_share": again_share,
        "flagged": flagged,
        "retirement_suggested": bool(retire),
        "flags": flags + retire,
    }


def _variance_is_zero(values: list[float]) -> bool:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) < _ZERO_VARIANCE
