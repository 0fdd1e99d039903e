"""Reads for hiring managers: the sets they may see, results, question statistics."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.roles import is_hiring_manager
from hiring.models import QuestionSet
from interviews.models import InterviewSession, SessionQuestion
from interviews.selectors import session_summary_of


def question_set_list(*, user) -> QuerySet[QuestionSet]:
    """Sets a hiring manager may see: their own and every shared one. Nobody else sees any."""
    if not is_hiring_manager(user):
        return QuestionSet.objects.none()
    return (
        QuestionSet.objects.filter(Q(owner=user) | Q(visibility=QuestionSet.Visibility.SHARED))
        .select_related("owner")
        .prefetch_related("items", "rules__category")
    )


def question_set_results(*, question_set: QuestionSet, now) -> list[dict]:
    """Every invitation of the set with its candidate's session, and sessions started from the set."""
    sessions = InterviewSession.objects.select_related("candidate").prefetch_related(
        Prefetch("questions", queryset=SessionQuestion.objects.order_by("position"))
    )
    invitations = question_set.invitations.select_related("accepted_by").prefetch_related(
        Prefetch("session", queryset=sessions)
    )
    rows = [
        {
            "invitation": invitation,
            "status": invitation.status_at(now),
            "candidate": invitation.accepted_by,
            "session": invitation.session,
        }
        for invitation in invitations
    ]
    direct = sessions.filter(origin=InterviewSession.Origin.QUESTION_SET, request__question_set=question_set.pk)
    rows += [{"invitation": None, "status": s.status, "candidate": s.candidate, "session": s} for s in direct]
    for row in rows:
        row["summary"] = session_summary_of(row["session"]) if row["session"] else None
    return rows


def question_set_size(question_set: QuestionSet) -> int:
    """How many questions a session from the set asks: its items, or its rules' counts."""
    return question_set.items.count() or sum(rule.count for rule in question_set.rules.all())
