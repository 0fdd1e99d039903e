"""Reads of sessions: a candidate's own sessions, history and draw pools."""

from itertools import product

from django.db.models import Max, Prefetch, QuerySet

from interviews.grading import Graded, question_score, session_summary
from interviews.models import InterviewSession, SessionQuestion
from questions.models import Question
from questions.pools import PoolKey, all_pool_keys, pool_cache
from questions.sampling import Quota
from reviews import selectors as reviews_selectors


def session_list(*, candidate) -> QuerySet[InterviewSession]:
    """The candidate's own sessions, newest first, with their questions."""
    return InterviewSession.objects.filter(candidate=candidate).prefetch_related(
        Prefetch("questions", queryset=SessionQuestion.objects.order_by("position"))
    )


def asked_history(*, candidate) -> dict[int, int]:
    """Question id → recency of the last time the candidate was asked it.

    Recency is the id of that session: sessions are numbered in the order
    they start, and integers are cheaper to read than timestamps.
    """
    rows = (
        SessionQuestion.objects.filter(session__candidate=candidate)
        .values("question_id")
        .annotate(last_session=Max("session_id"))
        .values_list("question_id", "last_session")
    )
    return dict(rows)


def due_question_ids(*, candidate, now) -> list[int]:
    """Questions whose review card for `candidate` is due at `now`, most overdue first."""
    return reviews_selectors.due_question_ids(user=candidate, now=now)


def session_summary_of(session: InterviewSession) -> dict | None:
    """The summary once the session is over; None while it runs."""
    if not session.is_over:
        return None
    return session_summary(
        (
            Graded(
                category=q.category,
                answered=q.answered,
                key_points=len(q.key_points),
                key_points_hit=q.key_points_hit,
                rating=q.rating,
            )
            for q in session.questions.all()
        ),
        started_at=session.started_at,
        finished_at=min(session.finished_at or session.deadline, session.deadline),
    )


def quota_for_filters(
    *, count: int, categories: list[str] | None, difficulties: list[str] | None, tags: list[str] | None
) -> Quota:
    """One quota over every (category, difficulty) pool the filters allow."""
    name = _pool_name(categories, difficulties, tags)
    if tags:
        # Tag pools are read from the database: their cost follows the tag's size.
        questions = Question.objects.filter(status=Question.Status.PUBLISHED, tags__slug__in=tags)
        if categories:
            questions = questions.filter(category__slug__in=categories)
        if difficulties:
            questions = questions.filter(difficulty__in=difficulties)
        ids = sorted(set(questions.values_list("id", flat=True)))
        return Quota(name=name, pools=[ids], count=count)
    keys = _pool_keys(categories, difficulties)
    pools = pool_cache.get(keys)
    return Quota(name=name, pools=[pools[key] for key in keys], count=count)


def quotas_for_rules(rules: list[dict]) -> list[Quota]:
    """One quota per rule {category, difficulty?, count}, reading the pools in one go."""
    keys_per_rule = [_pool_keys([r["category"]], [r["difficulty"]] if r.get("difficulty") else None) for r in rules]
    pools = pool_cache.get(key for keys in keys_per_rule for key in keys)
    return [
        Quota(
            name=_pool_name([rule["category"]], [rule["difficulty"]] if rule.get("difficulty") else None, None),
            pools=[pools[key] for key in keys],
            count=rule["count"],
        )
        for rule, keys in zip(rules, keys_per_rule, strict=True)
    ]


def _pool_keys(categories, difficulties) -> list[PoolKey]:
    if not categories:
        keys = all_pool_keys()
        return [k for k in keys if not difficulties or k[1] in difficulties]
    return list(product(categories, difficulties or Question.Difficulty.values))


def _pool_name(categories, difficulties, tags) -> str:
    parts = [
        "/".join(categories) if categories else "all categories",
        "/".join(difficulties) if difficulties else "any difficulty",
    ]
    if tags:
        parts.append("tagged " + "/".join(tags))
    return f"'{', '.join(parts)}'"


def question_stats(*, question_ids) -> dict[int, dict]:
    """Per question: times asked and answered, mean score and time, share rated `again`.

    `flagged` marks questions most candidates fail: at least 5 answers and a
    mean score under 0.3 or more than half rated `again`.
    """
    stats = {
        qid: {"times_asked": 0, "times_answered": 0, "scores": [], "times": [], "again": 0} for qid in question_ids
    }
    rows = SessionQuestion.objects.filter(question_id__in=list(question_ids)).values_list(
        "question_id", "answered_at", "key_points", "key_points_hit", "rating", "time_spent_seconds", "category"
    )
    for qid, answered_at, key_points, hit, rating, spent, category in rows:
        entry = stats[qid]
        entry["times_asked"] += 1
        if answered_at is None:
            continue
        entry["times_answered"] += 1
        entry["scores"].append(
            question_score(
                Graded(category=category, answered=True, key_points=len(key_points), key_points_hit=hit, rating=rating)
            )
        )
        if spent is not None:
            entry["times"].append(spent)
        entry["again"] += rating == "again"
    result = {}
    for qid, entry in stats.items():
        answered = entry["times_answered"]
        mean_score = round(sum(entry["scores"]) / answered, 4) if answered else None
        again_share = round(entry["again"] / answered, 4) if answered else None
        result[qid] = {
            "times_asked": entry["times_asked"],
            "times_answered": answered,
            "mean_score": mean_score,
            "mean_time_seconds": round(sum(entry["times"]) / len(entry["times"]), 1) if entry["times"] else None,
            "again_share": again_share,
            "flagged": answered >= 5 and (mean_score < 0.3 or again_share > 0.5),
        }
    return result


def category_score_history(*, candidate, limit: int = 20) -> list[dict]:
    """The candidate's last `limit` finished sessions, oldest first: when each
    ended and its score per category (for the dashboard's chart)."""
    sessions = list(session_list(candidate=candidate).exclude(status=InterviewSession.Status.ACTIVE)[:limit])
    history = []
    for session in reversed(sessions):
        summary = session_summary_of(session)
        history.append(
            {
                "session_id": session.pk,
                "finished_at": session.finished_at or session.deadline,
                "scores": {row["category"]: row["score"] for row in summary["by_category"]},
            }
        )
    return history
