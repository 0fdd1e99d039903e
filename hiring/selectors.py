"""Reads for hiring managers: the sets they may see and their results (question statistics: analysis.py)."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.roles import is_hiring_manager
from hiring.integrity import integrity_counts, records_integrity
from hiring.models import Invitation, QuestionSet
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


def invitation_list(*, user, question_set: QuestionSet | None = None) -> QuerySet[Invitation]:
    """Invitations `user` may see and revoke: every one of the sets they own, and on the other
    sets they may use (shared ones) only those they sent. Nobody else sees any."""
    if not is_hiring_manager(user):
        return Invitation.objects.none()
    invitations = Invitation.objects.filter(question_set__in=question_set_list(user=user)).filter(
        Q(question_set__owner=user) | Q(created_by=user)
    )
    if question_set is not None:
        invitations = invitations.filter(question_set=question_set)
    return invitations


def question_set_results(*, question_set: QuestionSet, user, now) -> list[dict]:
    """The results `user` may read: for the set's owner every invitation with its candidate's
    session and every session started from the set; for another manager of a shared set, only
    the invitations they sent and the sessions they started from it themselves.

    Each row's `integrity` holds its session's event counts ({paste, copy, blur}), or None when
    nothing is recorded: no session yet, or one not started from an invitation."""
    sessions = InterviewSession.objects.select_related("candidate").prefetch_related(
        Prefetch("questions", queryset=SessionQuestion.objects.order_by("position"))
    )
    invitations = (
        invitation_list(user=user, question_set=question_set)
        .select_related("accepted_by")
        .prefetch_related(Prefetch("session", queryset=sessions))
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
    # Sessions a manager started from the set directly (the invited ones are above).
    direct = sessions.filter(question_set_link__question_set=question_set, invitation__isnull=True)
    if question_set.owner_id != user.pk:
        direct = direct.filter(candidate=user)
    rows += [{"invitation": None, "status": s.status, "candidate": s.candidate, "session": s} for s in direct]
    for row in rows:
        row["summary"] = session_summary_of(row["session"]) if row["session"] else None
    recorded = [row["session"].pk for row in rows if records_integrity(row["session"])]
    counts = integrity_counts(recorded)
    for row in rows:
        row["integrity"] = counts[row["session"].pk] if records_integrity(row["session"]) else None
    return rows


def question_set_size(question_set: QuestionSet) -> int:
    """How many questions a session from the set asks: its items, or its rules' counts."""
    return question_set.items.count() or sum(rule.count for rule in question_set.rules.all())
