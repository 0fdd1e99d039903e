"""Timed mock-interview sessions and what was asked in them."""

from django.conf import settings
from django.db import models

from questions.models import Question
from reviews.models import Rating


class InterviewSession(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active"
        COMPLETED = "completed"
        EXPIRED = "expired"

    class Origin(models.TextChoices):
        AD_HOC = "ad_hoc"
        QUESTION_SET = "question_set"
        INVITATION = "invitation"

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_sessions")
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.AD_HOC)
    request = models.JSONField(default=dict, help_text="The start request, as validated.")
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    time_limit_minutes = models.PositiveIntegerField()
    reused_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["candidate", "-started_at"], name="session_candidate_recent_idx"),
            # The expiry task looks for active sessions past their deadline.
            models.Index(fields=["status", "deadline"], name="session_status_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "completed", "expired"]), name="session_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("started_at")), name="session_deadline_after_start"
            ),
        ]

    def __str__(self):
        return f"session {self.pk} of {self.candidate_id} ({self.status})"

    @property
    def is_over(self) -> bool:
        return self.status != self.Status.ACTIVE


class SessionQuestion(models.Model):
    """One question of a session, with a snapshot of what was asked at its revision."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    # PROTECT: a question that was ever asked is retired, never deleted.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="session_questions")
    revision = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    prompt = models.TextField()
    model_answer = models.TextField()
    key_points = models.JSONField(default=list)
    follow_ups = models.JSONField(default=list)
    category = models.CharField(max_length=50, help_text="Category slug when asked.")
    difficulty = models.CharField(max_length=10)
    expected_minutes = models.PositiveSmallIntegerField()

    answer = models.TextField(blank=True)
    key_points_hit = models.JSONField(null=True, blank=True, help_text="Indexes into key_points.")
    rating = models.CharField(max_length=5, choices=Rating.choices, null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="session_position_unique"),
            models.UniqueConstraint(fields=["session", "question"], name="session_question_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="session_position_positive"),
        ]

    def __str__(self):
        return f"{self.session_id}#{self.position}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def revealed(self) -> bool:
        """The model answer, key points and follow-ups may be shown: once answered or the session is over."""
        return self.answered or self.session.is_over
