"""Spaced-repetition writes: rate a card (from a session or a review), preferences."""

from dataclasses import asdict
from datetime import datetime, timedelta
from functools import cache

import fsrs
from django.conf import settings
from django.db import transaction

from interview_bank.exceptions import InvalidRequest
from reviews import selectors, spaced_repetition
from reviews.models import ReminderPreference, ReviewCard, ReviewLog

# A card shown longer ago than this was not being reviewed all that time.
MAX_REVIEW_DURATION = timedelta(hours=1)


@cache
def scheduler() -> fsrs.Scheduler:
    return fsrs.Scheduler(
        desired_retention=settings.FSRS_DESIRED_RETENTION, enable_fuzzing=settings.FSRS_ENABLE_FUZZING
    )


@transaction.atomic
def card_rate(
    *,
    user,
    question_id: int,
    rating: str,
    now: datetime,
    source: str,
    duration_seconds: int | None = None,
    session_question=None,
) -> ReviewCard:
    """Apply one rating to the user's card for the question (created on first rating) and log it."""
    card, _ = ReviewCard.objects.select_for_update().get_or_create(
        user=user, question_id=question_id, defaults={"due": now}
    )
    before = spaced_repetition.CardState(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
    )
    after = spaced_repetition.review(before, rating, now=now, scheduler=scheduler(), duration_seconds=duration_seconds)
    for name, value in asdict(after).items():
        setattr(card, name, value)
    card.is_leech = after.is_leech
    card.presented_at = None
    card.save()
    ReviewLog.objects.create(
        card=card,
        rating=rating,
        source=source,
        session_question=session_question,
        reviewed_at=now,
        duration_seconds=duration_seconds,
        state_before=before.state,
        due_after=card.due,
    )
    return card


def review_submit(*, user, question_id: int, rating: str, now: datetime) -> ReviewCard:
    """Rate a card the user is reviewing; the duration runs from when the due list showed it.

    Only questions the user already has a card for (asked in a session) can
    be reviewed, so a review never reveals an answer never attempted.
    """
    card = selectors.cards_reviewable(user=user).filter(question_id=question_id).only("presented_at").first()
    if card is None:
        raise InvalidRequest(
            "You have no review card for this question; cards come from questions answered in a session.",
            field="question_id",
        )
    duration = None
    if card.presented_at and timedelta(0) <= now - card.presented_at <= MAX_REVIEW_DURATION:
        duration = int((now - card.presented_at).total_seconds())
    return card_rate(
        user=user,
        question_id=question_id,
        rating=rating,
        now=now,
        source=ReviewLog.Source.REVIEW,
        duration_seconds=duration,
    )


def cards_mark_presented(*, cards: list[ReviewCard], now: datetime) -> None:
    """Start the review clock of cards the due list is showing."""
    ReviewCard.objects.filter(pk__in=[c.pk for c in cards], presented_at__isnull=True).update(presented_at=now)


@transaction.atomic
def reminder_preference_update(*, user, **changes) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in changes.items():
        setattr(preference, name, value)
    preference.save()
    return preference
