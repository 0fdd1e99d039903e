"""Scorecards (SPEC §10): several hiring managers score one session, blind to each other
until each has submitted their own.

Who may score a session is who may read its results (selectors.question_set_results):
the owner of the session's question set, and another manager of a shared set for the
invitations they sent and the sessions they started from it themselves. Everyone else,
candidates included, meets a 404, as if the session did not exist.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from accounts.roles import is_hiring_manager
from hiring.models import Scorecard, ScorecardScore
from hiring.selectors import question_set_list
from interview_bank.exceptions import Conflict, InvalidRequest, NotAllowed
from interviews.models import InterviewSession

BLIND_MESSAGE = "Scorecards are blind: submit your own scorecard for this session first, then you see everyone's."


def scorable_sessions(*, user, question_set=None) -> QuerySet[InterviewSession]:
    """Sessions whose results `user` may read, and so score; with `question_set`, only that set's."""
    if not is_hiring_manager(user):
        return InterviewSession.objects.none()
    sets = question_set_list(user=user)
    if question_set is not None:
        sets = sets.filter(pk=question_set.pk)
    return InterviewSession.objects.filter(question_set_link__question_set__in=sets).filter(
        Q(question_set_link__question_set__owner=user)
        | Q(invitation__created_by=user)
        | Q(candidate=user, invitation__isnull=True)
    )


def _session_for(*, session_id: int, user) -> InterviewSession:
    """The session if `user` may score it; InterviewSession.DoesNotExist (a 404) otherwise."""
    return scorable_sessions(user=user).prefetch_related("questions").get(pk=session_id)


def _is_over(session: InterviewSession, now: datetime) -> bool:
    return session.is_over or now >= session.deadline


def _clean_scores(session: InterviewSession, scores: list[dict]) -> list[dict]:
    """Each score names a position of the session once, key points it has, a score of 1-4;
    every answered position is scored."""
    by_position = {q.position: q for q in session.questions.all()}
    seen: set[int] = set()
    for index, entry in enumerate(scores, 1):
        position = entry["position"]
        question = by_position.get(position)
        if question is None:
            raise InvalidRequest(
                f"Score {index}: position {position} is not in this session (positions 1-{len(by_position)}).",
                field="scores",
            )
        if position in seen:
            raise InvalidRequest(f"Score {index}: position {position} is scored twice.", field="scores")
        seen.add(position)
        hit = entry.get("key_points_hit") or []
        outside = sorted({i for i in hit if not 0 <= i < len(question.key_points)})
        if outside:
            raise InvalidRequest(
                f"Score {index}: key points {outside} do not exist for position {position} "
                f"(indexes 0-{len(question.key_points) - 1}).",
                field="scores",
            )
        if not ScorecardScore.MIN_SCORE <= entry["score"] <= ScorecardScore.MAX_SCORE:
            raise InvalidRequest(f"Score {index}: score must be 1-4, got {entry['score']}.", field="scores")
    unscored = sorted(p for p, q in by_position.items() if q.answered and p not in seen)
    if unscored:
        raise InvalidRequest(f"Every answered position needs a score; missing: {unscored}.", field="scores")
    return [{**entry, "key_points_hit": sorted(set(entry.get("key_points_hit") or []))} for entry in scores]


def scorecard_submit(
    *, session_id: int, scorer, recommendation: str, summary: str, scores: list[dict], now: datetime
) -> Scorecard:
    """Record `scorer`'s scorecard of a finished session; a second one is a Conflict (409)."""
    session = _session_for(session_id=session_id, user=scorer)
    if not _is_over(session, now):
        raise Conflict("The session is still in progress: score it once the candidate has finished.")
    if Scorecard.objects.filter(session=session, scorer=scorer).exists():
        raise Conflict("You have already submitted a scorecard for this session; it cannot be replaced.")
    cleaned = _clean_scores(session, scores)
    questions = {q.position: q for q in session.questions.all()}
    try:
        with transaction.atomic():
            scorecard = Scorecard.objects.create(
                session=session, scorer=scorer, recommendation=recommendation, summary=summary, submitted_at=now
            )
            ScorecardScore.objects.bulk_create(
                ScorecardScore(
                    scorecard=scorecard,
                    session_question=questions[entry["position"]],
                    position=entry["position"],
                    key_points_hit=entry["key_points_hit"],
                    score=entry["score"],
                )
                for entry in cleaned
            )
    except IntegrityError as exc:  # a concurrent submission by the same scorer won
        raise Conflict("You have already submitted a scorecard for this session; it cannot be replaced.") from exc
    return scorecard


def scorecard_scores(*, question_set, user) -> QuerySet[ScorecardScore]:
    """Every score of every scorecard of the set's sessions `user` may read, in session, submission
    and position order (the scorecards CSV)."""
    return (
        ScorecardScore.objects.filter(scorecard__session__in=scorable_sessions(user=user, question_set=question_set))
        .select_related("scorecard__scorer", "scorecard__session__candidate", "session_question")
        .order_by("scorecard__session_id", "scorecard__submitted_at", "position")
    )


def scorecard_list(*, session_id: int, user) -> QuerySet[Scorecard]:
    """Every scorecard of the session, for a scorer who has submitted theirs; NotAllowed (403) before."""
    session = _session_for(session_id=session_id, user=user)
    scorecards = Scorecard.objects.filter(session=session).select_related("scorer").prefetch_related("scores")
    if not scorecards.filter(scorer=user).exists():
        raise NotAllowed(BLIND_MESSAGE)
    return scorecards
