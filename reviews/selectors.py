"""Reads of spaced repetition: due cards, forecasts, reminder preferences."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from questions.models import Question
from reviews.models import ReminderPreference, ReviewCard


def reviewable_cards() -> QuerySet[ReviewCard]:
    """Every user's cards whose question is still published: the only ones shown, rated or counted as due."""
    return ReviewCard.objects.filter(question__status=Question.Status.PUBLISHED)


def cards_reviewable(*, user) -> QuerySet[ReviewCard]:
    """The user's reviewable cards (see reviewable_cards)."""
    return reviewable_cards().filter(user=user)


def cards_due(*, user, now: datetime) -> QuerySet[ReviewCard]:
    """The user's cards due at `now` on published questions, most overdue first."""
    return cards_reviewable(user=user).filter(due__lte=now).select_related("question__category").order_by("due", "id")


def card_next_due(*, user) -> ReviewCard | None:
    return cards_reviewable(user=user).order_by("due", "id").first()


def due_question_ids(*, user, now: datetime) -> list[int]:
    return list(cards_due(user=user, now=now).values_list("question_id", flat=True))


def reminder_preference(*, user) -> ReminderPreference:
    """The user's preferences, or the defaults (reminders off) when never set."""
    try:
        return user.reminder_preference
    except ReminderPreference.DoesNotExist:
        return ReminderPreference(user=user)


def review_forecast(*, user, now: datetime, days: int) -> list[dict]:
    """Due cards per local day (the user's time zone) from today, overdue counted today."""
    tz = ZoneInfo(reminder_preference(user=user).timezone)
    today = now.astimezone(tz).date()
    end = datetime.combine(today + timedelta(days=days), datetime.min.time(), tzinfo=tz)
    per_day = dict(
        cards_reviewable(user=user)
        .filter(due__lt=end)
        .annotate(day=TruncDate("due", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    overdue = sum(n for day, n in per_day.items() if day < today)
    return [
        {
            "date": today + timedelta(days=i),
            "due": per_day.get(today + timedelta(days=i), 0) + (overdue if i == 0 else 0),
        }
        for i in range(days)
    ]
