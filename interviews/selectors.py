"""Reads of sessions: a candidate's own sessions, what they were asked, summaries."""

from django.db.models import Max, Prefetch, QuerySet, prefetch_related_objects

from interviews.grading import Graded, session_summary
from interviews.models import InterviewSession, SessionQuestion
from reviews import selectors as reviews_selectors


def _questions_in_order() -> Prefetch:
    return Prefetch("questions", queryset=SessionQuestion.objects.order_by("position"))


def session_list(*, candidate) -> QuerySet[InterviewSession]:
    """The candidate's own sessions, newest first, with their questions."""
    return InterviewSession.objects.filter(candidate=candidate).prefetch_related(_questions_in_order())


def session_with_questions(session: InterviewSession) -> InterviewSession:
    """`session` with its questions in position order loaded (one query)."""
    prefetch_related_objects([session], _questions_in_order())
    return session


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


def session_time_remaining_seconds(session: InterviewSession, *, now) -> int:
    """Whole seconds left before the server's deadline at `now`; 0 once over."""
    if session.is_over:
        return 0
    return max(0, int((session.deadline - now).total_seconds()))


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
