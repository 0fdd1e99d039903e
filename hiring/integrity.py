"""Integrity signals (SPEC §10): what the candidate's page saw during an invitation's session.

A paste, a copy or the page losing focus is recorded with the position on
screen; results show the counts per session as flags for a person to weigh,
never as a verdict (a candidate may paste from their own notes, or look away
to think). The candidate is told on the invitation page that these are
recorded. Only a session started from an invitation records them, only its
own candidate sends them, and only while it runs.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from hiring.models import IntegrityEvent
from interview_bank.exceptions import Conflict, InvalidRequest
from interviews.models import InterviewSession

# A page that sends more than this many events for one session is broken or
# hostile; beyond it they are refused, so a session's flags stay readable.
MAX_EVENTS_PER_SESSION = 1000


def records_integrity(session: InterviewSession | None) -> bool:
    """Whether the session records integrity events: one started from an invitation."""
    return session is not None and session.origin == InterviewSession.Origin.INVITATION


def integrity_event_record(
    *, session_id: int, candidate, type: str, position: int | None, now: datetime
) -> IntegrityEvent:
    """Record one event of the candidate's own invitation session.

    InterviewSession.DoesNotExist (404) for a session that is not theirs;
    InvalidRequest for a session not from an invitation or a position it lacks;
    Conflict once the session is over or the cap is reached.
    """
    session = InterviewSession.objects.get(pk=session_id, candidate=candidate)
    if not records_integrity(session):
        raise InvalidRequest("Integrity events are recorded only in a session started from an invitation.")
    if session.is_over or now >= session.deadline:
        raise Conflict("The session is over: nothing more is recorded.")
    if position is not None and not session.questions.filter(position=position).exists():
        count = session.questions.count()
        raise InvalidRequest(f"Position {position} is not in this session (positions 1-{count}).", field="position")
    if session.integrity_events.count() >= MAX_EVENTS_PER_SESSION:
        raise Conflict(f"This session already holds {MAX_EVENTS_PER_SESSION} events; no more are recorded.")
    return IntegrityEvent.objects.create(session=session, type=type, position=position, occurred_at=now)


def integrity_counts(session_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per session: how many of each event type, zero included (one query)."""
    ids = list(session_ids)
    counts = {session_id: dict.fromkeys(IntegrityEvent.Type.values, 0) for session_id in ids}
    rows = IntegrityEvent.objects.filter(session_id__in=ids).values("session_id", "type").annotate(n=Count("id"))
    for row in rows.order_by():
        counts[row["session_id"]][row["type"]] = row["n"]
    return counts
