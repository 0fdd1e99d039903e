"""Spaced repetition (FSRS cards and logs) and daily review reminders."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from questions.models import Question


class Rating(models.TextChoices):
    """FSRS ratings (as in Anki): the vocabulary of every grade, in a session or a review."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


class ReviewCard(models.Model):
    """One FSRS card per (user, question): the scheduler's state for that pair."""

    class State(models.IntegerChoices):  # fsrs.State values
        LEARNING = 1
        REVIEW = 2
        RELEARNING = 3

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    is_leech = models.BooleanField(default=False)
    presented_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the due list last showed it: the start of the review's duration.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="card_user_question_unique"),
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_user_due_idx")]

    def __str__(self):
        return f"card {self.user_id}/{self.question_id}"


class ReviewLog(models.Model):
    class Source(models.TextChoices):
        SESSION = "session"
        REVIEW = "review"

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="logs")
    rating = models.CharField(max_length=5, choices=Rating.choices)
    source = models.CharField(max_length=7, choices=Source.choices)
    # A string reference: interviews sits above reviews and is never imported here.
    session_question = models.ForeignKey("interviews.SessionQuestion", on_delete=models.SET_NULL, null=True, blank=True)
    reviewed_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Server-measured.")
    state_before = models.PositiveSmallIntegerField(choices=ReviewCard.State.choices)
    due_after = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self):
        return f"{self.card_id} {self.rating} @ {self.reviewed_at:%Y-%m-%d}"


class ReminderPreference(models.Model):
    """How a user wants to hear about due reviews. No row: reminders are off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    enabled = models.BooleanField(default=False)
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA time zone name.")
    hour = models.PositiveSmallIntegerField(default=18, validators=[MaxValueValidator(23)])
    min_due = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="reminder_hour_range"),
            models.CheckConstraint(condition=models.Q(min_due__gte=1), name="reminder_min_due_positive"),
        ]
        indexes = [models.Index(fields=["enabled", "user"], name="reminder_enabled_user_idx")]

    def __str__(self):
        return f"reminders of {self.user_id}"


class Reminder(models.Model):
    """At most one per (user, local date): the claim that makes sending idempotent.

    claimed → attempted (committed before the hand-over) → sent; an attempt a
    later task finds unrecorded becomes uncertain and is never retried.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    local_date = models.DateField()
    claimed_by = models.CharField(max_length=64, help_text="Id of the task that holds the claim.")
    claimed_at = models.DateTimeField()
    attempted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Committed just before the email is handed to the mail server; cleared when the server refuses it.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    uncertain_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="An attempt was found unrecorded (its worker died mid-send): never sent again.",
    )
    due_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="reminder_user_date_unique"),
        ]

    def __str__(self):
        return f"reminder {self.user_id} {self.local_date}"
