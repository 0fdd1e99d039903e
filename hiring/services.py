"""Hiring workflows: question sets, invitations (create, accept, revoke), sessions from sets."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from hiring import selectors, tokens
from hiring.models import Invitation, QuestionSet, QuestionSetItem, QuestionSetRule, QuestionSetSession
from hiring.outbox import invitation_outbox_add
from hiring.tasks import send_invitation
from interview_bank.exceptions import Conflict, InvalidRequest, NotAllowed
from interview_bank.queue import enqueue_on_commit
from interviews.models import InterviewSession
from interviews.services import session_start
from questions.models import Question
from questions.quotas import quotas_for_rules
from questions.sampling import PoolTooSmall, draw_session

INVITATION_DEFAULT_DAYS = 7
INVITATION_MAX_DAYS = 90


def _check_size(size: int, *, field: str) -> None:
    """A set asks for at most what one session may hold."""
    if size > settings.SESSION_MAX_QUESTIONS:
        raise InvalidRequest(
            f"The set asks for {size} questions; at most {settings.SESSION_MAX_QUESTIONS}.", field=field
        )


def _check_questions(questions: list[Question]) -> None:
    _check_size(len(questions), field="questions")
    unpublished = [q.pk for q in questions if q.status != Question.Status.PUBLISHED]
    if unpublished:
        raise InvalidRequest(
            f"Questions {unpublished} are not published (drafts and retired questions cannot be added).",
            field="questions",
        )


def _check_rules(rules: list[dict]) -> None:
    """A blueprint must be drawable from today's bank: say which rule is short and by how much."""
    _check_size(sum(rule["count"] for rule in rules), field="rules")
    quotas = quotas_for_rules(rules)
    for index, quota in enumerate(quotas):
        try:
            draw_session([quota], rng=random.Random(0), exclude_seen=False)  # noqa: S311
        except PoolTooSmall as exc:
            raise InvalidRequest(f"Rule {index + 1}: {exc}", field="rules") from exc
    try:
        draw_session(quotas, rng=random.Random(0), exclude_seen=False)  # noqa: S311
    except PoolTooSmall as exc:
        raise InvalidRequest(f"The rules together ask for more than the bank holds: {exc}", field="rules") from exc


def question_set_contents_check(*, questions: list[Question] | None, rules: list[dict] | None) -> None:
    """What a set may hold, for the API and the admin alike: exactly one of `questions` (all
    published) or `rules` ({category, category_obj, difficulty?, count}, drawable from today's
    bank); InvalidRequest naming what is wrong otherwise."""
    if bool(questions) == bool(rules):
        raise InvalidRequest("Give either `questions` (a fixed set) or `rules` (a blueprint).", field="questions")
    if questions:
        _check_questions(questions)
    else:
        _check_rules(rules)


def _write_contents(question_set: QuestionSet, questions: list[Question] | None, rules: list[dict] | None) -> None:
    if questions is not None:
        question_set.items.all().delete()
        QuestionSetItem.objects.bulk_create(
            QuestionSetItem(question_set=question_set, position=i, question=q) for i, q in enumerate(questions, 1)
        )
    if rules is not None:
        question_set.rules.all().delete()
        QuestionSetRule.objects.bulk_create(
            QuestionSetRule(
                question_set=question_set,
                position=i,
                category=rule["category_obj"],
                difficulty=rule.get("difficulty") or "",
                count=rule["count"],
            )
            for i, rule in enumerate(rules, 1)
        )


@transaction.atomic
def question_set_create(
    *,
    owner,
    name: str,
    time_limit_minutes: int,
    description: str = "",
    visibility: str = QuestionSet.Visibility.PRIVATE,
    questions: list[Question] | None = None,
    rules: list[dict] | None = None,
) -> QuestionSet:
    """A fixed set (`questions`, in order) or a blueprint (`rules`), never both or neither."""
    question_set_contents_check(questions=questions, rules=rules)
    question_set = QuestionSet.objects.create(
        owner=owner, name=name, description=description, time_limit_minutes=time_limit_minutes, visibility=visibility
    )
    _write_contents(question_set, questions, rules)
    return question_set


def _check_owner(question_set: QuestionSet, user) -> None:
    if question_set.owner_id != user.pk:
        raise NotAllowed("Only the owner can change or delete this set; duplicate it to make your own.")


@transaction.atomic
def question_set_update(
    *,
    question_set: QuestionSet,
    user,
    questions: list[Question] | None = None,
    rules: list[dict] | None = None,
    **changes,
) -> QuestionSet:
    """Change a set `user` owns; new `questions` or `rules` replace its contents (and make it that kind)."""
    _check_owner(question_set, user)
    if questions and rules:
        raise InvalidRequest("Give either `questions` or `rules`, not both.", field="questions")
    if questions:
        _check_questions(questions)
        rules = []
    elif rules:
        _check_rules(rules)
        questions = []
    elif questions == [] or rules == []:
        raise InvalidRequest("A set needs questions or rules; it cannot be emptied.", field="questions")
    for name, value in changes.items():
        setattr(question_set, name, value)
    question_set.save()
    _write_contents(question_set, questions, rules)
    return question_set


@transaction.atomic
def question_set_delete(*, question_set: QuestionSet, user) -> None:
    """Delete a set `user` owns, with its invitations; sessions taken from it stay with their candidates."""
    _check_owner(question_set, user)
    question_set.delete()


@transaction.atomic
def question_set_duplicate(*, question_set: QuestionSet, owner) -> QuestionSet:
    """A private copy for `owner`, named '<name> (copy)'."""
    copy = QuestionSet.objects.create(
        owner=owner,
        name=f"{question_set.name} (copy)"[:200],
        description=question_set.description,
        time_limit_minutes=question_set.time_limit_minutes,
        visibility=QuestionSet.Visibility.PRIVATE,
    )
    QuestionSetItem.objects.bulk_create(
        QuestionSetItem(question_set=copy, position=i.position, question_id=i.question_id)
        for i in question_set.items.all()
    )
    QuestionSetRule.objects.bulk_create(
        QuestionSetRule(
            question_set=copy, position=r.position, category_id=r.category_id, difficulty=r.difficulty, count=r.count
        )
        for r in question_set.rules.all()
    )
    return copy


@transaction.atomic
def session_start_from_set(
    *,
    question_set: QuestionSet,
    candidate,
    now: datetime,
    extra_minutes: int = 0,
    origin: str = InterviewSession.Origin.QUESTION_SET,
    seed: int | None = None,
) -> InterviewSession:
    """A session with the set's questions (blueprints drawn now) and its time limit plus
    `extra_minutes`, linked to the set so that its results find it."""
    items = list(question_set.items.order_by("position").values_list("question_id", flat=True))
    rules = [
        {"category": r.category.slug, "difficulty": r.difficulty or None, "count": r.count}
        for r in question_set.rules.select_related("category").order_by("position")
    ]
    if items:
        questions = Question.objects.filter(pk__in=items, status=Question.Status.PUBLISHED).count()
        if questions != len(items):
            raise Conflict("Some questions of this set have been retired since; ask the hiring manager to update it.")
    session = session_start(
        candidate=candidate,
        now=now,
        quotas=quotas_for_rules(rules) if rules else (),
        quota_field="question_set",
        fixed_question_ids=items or None,
        time_limit_minutes=question_set.time_limit_minutes + extra_minutes,
        exclude_seen=True,
        seed=seed,
        request={"question_set": question_set.pk, "extra_minutes": extra_minutes},
        origin=origin,
    )
    QuestionSetSession.objects.create(question_set=question_set, session=session)
    return session


def session_start_from_set_id(*, question_set_id: int, user, now: datetime, seed: int | None = None):
    """`POST /sessions/` with `question_set`: a set `user` may use, else InvalidRequest naming it."""
    question_set = selectors.question_set_list(user=user).filter(pk=question_set_id).first()
    if question_set is None:
        raise InvalidRequest(f"No question set {question_set_id} that you can use.", field="question_set")
    return session_start_from_set(question_set=question_set, candidate=user, now=now, seed=seed)


@transaction.atomic
def invitation_create(
    *,
    question_set: QuestionSet,
    created_by,
    email: str,
    now: datetime,
    expires_at: datetime | None = None,
    extra_minutes: int = 0,
) -> tuple[Invitation, str]:
    """Create an invitation and queue its email (hiring.outbox); returns it and the token (shown once).

    The expiry defaults to INVITATION_DEFAULT_DAYS from `now` and may be at
    most INVITATION_MAX_DAYS ahead.
    """
    if expires_at is None:
        expires_at = now + timedelta(days=INVITATION_DEFAULT_DAYS)
    if expires_at <= now:
        raise InvalidRequest("The expiry must be in the future.", field="expires_at")
    if expires_at > now + timedelta(days=INVITATION_MAX_DAYS):
        raise InvalidRequest(f"The expiry may be at most {INVITATION_MAX_DAYS} days ahead.", field="expires_at")
    token, public_id, secret_hash = tokens.token_new()
    invitation = Invitation.objects.create(
        question_set=question_set,
        email=email,
        public_id=public_id,
        secret_hash=secret_hash,
        created_by=created_by,
        expires_at=expires_at,
        extra_minutes=extra_minutes,
    )
    # The outbox row commits with the invitation, so the email survives a broker outage; the
    # message is only the fast path and carries the id, never the token.
    invitation_outbox_add(invitation=invitation, token=token, now=now)
    enqueue_on_commit(send_invitation, invitation.pk)
    return invitation, token


def invitation_for_token(*, token: str, user) -> Invitation:
    """The invitation a token opens for `user`, or Invitation.DoesNotExist (→ 404) — for a bad
    token, a wrong secret, or an invitation addressed to another email alike."""
    parts = tokens.token_split(token)
    invitation = Invitation.objects.select_related("question_set").filter(public_id=parts[0]).first() if parts else None
    if (
        invitation is None
        or not tokens.token_matches(parts[1], invitation.secret_hash)
        or invitation.email.lower() != (user.email or "").lower()
    ):
        raise Invitation.DoesNotExist
    return invitation


def invitation_accept(*, token: str, user, now: datetime) -> InterviewSession:
    """Start the invited session: 409 when accepted already, expired or revoked."""
    with transaction.atomic():
        invitation = invitation_for_token(token=token, user=user)
        invitation = Invitation.objects.select_for_update().select_related("question_set").get(pk=invitation.pk)
        status = invitation.status_at(now)
        if status == Invitation.Status.PENDING:
            session = session_start_from_set(
                question_set=invitation.question_set,
                candidate=user,
                now=now,
                extra_minutes=invitation.extra_minutes,
                origin=InterviewSession.Origin.INVITATION,
            )
            invitation.accepted_at, invitation.accepted_by, invitation.session = now, user, session
            invitation.save(update_fields=["accepted_at", "accepted_by", "session"])
            return session
    messages = {
        Invitation.Status.ACCEPTED: "This invitation has already been used; it starts one session only.",
        Invitation.Status.EXPIRED: "This invitation has expired; ask the hiring manager for a new one.",
        Invitation.Status.REVOKED: "This invitation was withdrawn by the hiring manager.",
    }
    raise Conflict(messages[status])


@transaction.atomic
def invitation_revoke(*, invitation_id: int, user, now: datetime) -> Invitation:
    """Withdraw a pending invitation `user` may revoke (the set's owner: any; another manager of a
    shared set: their own), else Invitation.DoesNotExist (→ 404); 409 once accepted."""
    if not selectors.invitation_list(user=user).filter(pk=invitation_id).exists():
        raise Invitation.DoesNotExist
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.accepted_at:
        raise Conflict("This invitation was already accepted; its session stands.")
    if not invitation.revoked_at:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
    return invitation
