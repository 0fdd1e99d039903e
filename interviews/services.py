"""Session workflows: start, answer, grade, finish, expire."""

import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max

from interview_bank.exceptions import Conflict, InvalidRequest
from interviews import selectors
from interviews.grading import rating_from_key_points
from interviews.models import InterviewSession, SessionQuestion
from questions.models import Question
from questions.quotas import quota_for_filters, quotas_for_rules
from questions.sampling import MAX_SEED, Draw, PoolTooSmall, Quota, draw_session
from reviews.models import ReviewLog
from reviews.services import card_rate


def session_start_from_request(
    *,
    candidate,
    now: datetime,
    count: int | None = None,
    categories: list[str] | None = None,
    difficulties: list[str] | None = None,
    tags: list[str] | None = None,
    quotas: list[dict] | None = None,
    time_limit_minutes: int | None = None,
    exclude_seen: bool = True,
    include_due_reviews: bool = False,
    seed: int | None = None,
) -> InterviewSession:
    """Start an ad hoc session from a validated start request (SPEC §5): `count` with
    filters, or `quotas`. Sessions from a question set start in the hiring app."""
    if quotas:
        rules = quotas_for_rules(quotas)
    else:
        rules = [quota_for_filters(count=count, categories=categories, difficulties=difficulties, tags=tags)]
    request = {
        "count": count,
        "categories": categories,
        "difficulties": difficulties,
        "tags": tags,
        "quotas": quotas,
        "time_limit_minutes": time_limit_minutes,
        "exclude_seen": exclude_seen,
        "include_due_reviews": include_due_reviews,
        "seed": seed,
    }
    return session_start(
        candidate=candidate,
        now=now,
        quotas=rules,
        quota_field="quotas" if quotas else "count",
        time_limit_minutes=time_limit_minutes,
        exclude_seen=exclude_seen,
        due_question_ids=selectors.due_question_ids(candidate=candidate, now=now) if include_due_reviews else [],
        seed=seed,
        request={k: v for k, v in request.items() if v is not None},
    )


@transaction.atomic
def session_start(
    *,
    candidate,
    now: datetime,
    quotas: list[Quota] = (),
    quota_field: str = "quotas",
    fixed_question_ids: list[int] | None = None,
    time_limit_minutes: int | None = None,
    exclude_seen: bool = True,
    due_question_ids: list[int] = (),
    seed: int | None = None,
    request: dict | None = None,
    origin: str = InterviewSession.Origin.AD_HOC,
) -> InterviewSession:
    """Draw the questions (sampling.draw_session), snapshot them and start the clock.

    `fixed_question_ids` (a fixed question set) skips the draw and keeps
    their order. The deadline is `now` plus the time limit, which defaults to
    the sum of the questions' expected minutes. A pool too small is an
    InvalidRequest on `quota_field`, naming the pool.
    """
    if seed is None:
        seed = random.SystemRandom().randint(0, MAX_SEED)
    if fixed_question_ids is not None:
        drawn = Draw(question_ids=list(fixed_question_ids))
    else:
        try:
            drawn = draw_session(
                quotas,
                rng=random.Random(seed),  # noqa: S311 - a reproducible draw, not a secret
                seen=selectors.asked_history(candidate=candidate),
                due=due_question_ids,
                exclude_seen=exclude_seen,
            )
        except PoolTooSmall as exc:
            raise InvalidRequest(str(exc), field=quota_field) from exc
    questions = Question.objects.select_related("category").in_bulk(drawn.question_ids)
    if time_limit_minutes is None:
        time_limit_minutes = sum(questions[qid].expected_minutes for qid in drawn.question_ids)
    session = InterviewSession.objects.create(
        candidate=candidate,
        origin=origin,
        request=request or {},
        seed=seed,
        time_limit_minutes=time_limit_minutes,
        reused_count=drawn.reused,
        started_at=now,
        deadline=now + timedelta(minutes=time_limit_minutes),
    )
    SessionQuestion.objects.bulk_create(
        _snapshot(session, position, questions[qid]) for position, qid in enumerate(drawn.question_ids, 1)
    )
    return session


def _snapshot(session, position, question: Question) -> SessionQuestion:
    return SessionQuestion(
        session=session,
        position=position,
        question=question,
        revision=question.revision,
        title=question.title,
        prompt=question.prompt,
        model_answer=question.model_answer,
        key_points=list(question.key_points),
        follow_ups=list(question.follow_ups),
        category=question.category.slug,
        difficulty=question.difficulty,
        expected_minutes=question.expected_minutes,
    )


@dataclass
class _Outcome:
    result: object = None
    conflict: str | None = None


def answer_submit(
    *,
    session_id: int,
    candidate,
    now: datetime,
    position: int,
    answer: str,
    key_points_hit: list[int] | None = None,
    rating: str | None = None,
) -> SessionQuestion:
    """Record the answer to one position and return it, revealed.

    Conflict (409) when the session is over, the deadline has passed (the
    session is then expired, and that sticks) or the position is answered.
    Answers to one session are serialised by a row lock, so of two racing
    answers to a position exactly one is recorded. The rating, when absent
    but key points are ticked, follows grading.rating_from_key_points.
    """
    outcome = _answer_in_transaction(session_id, candidate, now, position, answer, key_points_hit, rating)
    if outcome.conflict:
        raise Conflict(outcome.conflict)
    return outcome.result


@transaction.atomic
def _answer_in_transaction(session_id, candidate, now, position, answer, key_points_hit, rating) -> _Outcome:
    session = InterviewSession.objects.select_for_update().get(pk=session_id, candidate=candidate)
    if _expire_if_overdue(session, now):
        return _Outcome(conflict="The deadline has passed; the session has expired.")
    if session.is_over:
        return _Outcome(conflict=f"The session is {session.status}; it takes no more answers.")
    item = _question_at(session, position)
    if item.answered:
        return _Outcome(conflict=f"Position {position} is already answered.")
    _check_key_points(item, key_points_hit)
    previous = session.questions.filter(answered_at__isnull=False).aggregate(last=Max("answered_at"))["last"]
    since = max(filter(None, [session.started_at, previous]))
    item.answer = answer
    item.key_points_hit = sorted(set(key_points_hit)) if key_points_hit is not None else None
    if rating is None and item.key_points_hit is not None:
        rating = rating_from_key_points(len(item.key_points_hit), len(item.key_points))
    item.rating = rating
    item.answered_at = now
    item.time_spent_seconds = max(0, int((now - since).total_seconds()))
    item.save(update_fields=["answer", "key_points_hit", "rating", "answered_at", "time_spent_seconds"])
    if rating is not None:
        _rate_card(item, candidate, now)
    return _Outcome(result=item)


def answer_grade(
    *,
    session_id: int,
    candidate,
    now: datetime,
    position: int,
    key_points_hit: list[int],
    rating: str | None = None,
) -> SessionQuestion:
    """Grade an answered position after its reveal: the key points the answer
    covered and, optionally, a rating (else grading.rating_from_key_points).

    This is how a candidate grades fairly: they tick the rubric once they can
    see it. It works while the session runs and after it ends, since it adds
    no answer. Conflict (409) when the position is not answered yet or is
    already graded; the rating feeds the FSRS card once, with the answer's
    server-measured time.
    """
    with transaction.atomic():
        session = InterviewSession.objects.get(pk=session_id, candidate=candidate)
        item = _question_at(session, position, lock=True)
        if not item.answered:
            conflict = f"Position {position} has no answer yet; answer it before grading it."
        elif item.rating is not None:
            conflict = f"Position {position} is already graded ({item.rating})."
        else:
            conflict = None
            _check_key_points(item, key_points_hit)
            item.key_points_hit = sorted(set(key_points_hit))
            item.rating = rating or rating_from_key_points(len(item.key_points_hit), len(item.key_points))
            item.save(update_fields=["key_points_hit", "rating"])
            _rate_card(item, candidate, now)
    if conflict:
        raise Conflict(conflict)
    return item


def _question_at(session: InterviewSession, position: int, *, lock: bool = False) -> SessionQuestion:
    """The session's question at `position` (row-locked with `lock`); InvalidRequest naming the range if none."""
    questions = session.questions.select_for_update() if lock else session.questions.all()
    try:
        return questions.get(position=position)
    except SessionQuestion.DoesNotExist:
        message = f"No position {position}; this session has positions 1-{session.questions.count()}."
        raise InvalidRequest(message, field="position") from None


def _check_key_points(item: SessionQuestion, key_points_hit: list[int] | None) -> None:
    bad = [i for i in key_points_hit or [] if not 0 <= i < len(item.key_points)]
    if bad:
        raise InvalidRequest(
            f"Key point indexes {bad} are out of range; this question has indexes 0-{len(item.key_points) - 1}.",
            field="key_points_hit",
        )


def _rate_card(item: SessionQuestion, candidate, now: datetime) -> None:
    # Every rating feeds the candidate's FSRS card for the question (SPEC §6).
    card_rate(
        user=candidate,
        question_id=item.question_id,
        rating=item.rating,
        now=now,
        source=ReviewLog.Source.SESSION,
        duration_seconds=item.time_spent_seconds,
        session_question=item,
    )


def session_finish(*, session_id: int, candidate, now: datetime, timed_out: bool = False) -> InterviewSession:
    """End a session early (completed), or as expired when its deadline passed.

    `timed_out`: the candidate's countdown ran out (the web page submits the
    typed answer a moment before the deadline, so that it lands); the session
    then ends as expired, not completed. Conflict (409) when it was already
    over before this call.
    """
    with transaction.atomic():
        session = InterviewSession.objects.select_for_update().get(pk=session_id, candidate=candidate)
        if session.is_over:
            conflict = f"The session is already {session.status}."
        else:
            conflict = None
            if not _expire_if_overdue(session, now):
                session.status = InterviewSession.Status.EXPIRED if timed_out else InterviewSession.Status.COMPLETED
                session.finished_at = now
                session.save(update_fields=["status", "finished_at"])
    if conflict:
        raise Conflict(conflict)
    return session


def session_end_if_time_is_up(*, session: InterviewSession, candidate, now: datetime, margin: timedelta) -> bool:
    """End the session as expired, and say so, when less than `margin` is left before its deadline.

    A countdown that reaches zero `margin` before the server's deadline (the
    web page's, so that the answer it submits at zero still lands) hands out
    no new question after zero. True when the session is over after the call.
    """
    if session.is_over:
        return True
    if session.deadline - now > margin:
        return False
    with suppress(Conflict):  # ended meanwhile; either way it is over
        session_finish(session_id=session.pk, candidate=candidate, now=now, timed_out=True)
    return True


def session_expire_if_overdue(*, session: InterviewSession, now: datetime) -> InterviewSession:
    """Mark a session expired if its deadline has passed; idempotent."""
    if session.status == InterviewSession.Status.ACTIVE and now >= session.deadline:
        with transaction.atomic():
            locked = InterviewSession.objects.select_for_update().get(pk=session.pk)
            _expire_if_overdue(locked, now)
        session.refresh_from_db(fields=["status", "finished_at"])
    return session


def sessions_expire_overdue(*, now: datetime, batch_size: int = 500, candidate=None) -> int:
    """Expire every active session past its deadline (of `candidate`, if given),
    in batches by key; idempotent.

    Each batch is one conditional UPDATE, so a session answered or finished
    meanwhile (it holds the row lock) is re-checked, not clobbered.
    """
    expired, last_pk = 0, 0
    overdue = InterviewSession.objects.filter(status=InterviewSession.Status.ACTIVE, deadline__lte=now)
    if candidate is not None:
        overdue = overdue.filter(candidate=candidate)
    while True:
        pks = list(overdue.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return expired
        last_pk = pks[-1]
        expired += overdue.filter(pk__in=pks).update(status=InterviewSession.Status.EXPIRED, finished_at=F("deadline"))


def _expire_if_overdue(session: InterviewSession, now: datetime) -> bool:
    """Inside a transaction holding the session's row lock."""
    if session.status != InterviewSession.Status.ACTIVE or now < session.deadline:
        return False
    session.status = InterviewSession.Status.EXPIRED
    session.finished_at = session.deadline
    session.save(update_fields=["status", "finished_at"])
    return True
