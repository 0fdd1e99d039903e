"""Hiring managers' question sets and the invitations that send them to candidates."""

from django.conf import settings
from django.db import models

from interviews.models import InterviewSession, SessionQuestion
from questions.models import Category, Question


class QuestionSet(models.Model):
    """A fixed ordered list of questions (items) or a blueprint (rules), with a time limit."""

    class Visibility(models.TextChoices):
        PRIVATE = "private"
        SHARED = "shared"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_sets")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    time_limit_minutes = models.PositiveIntegerField()
    visibility = models.CharField(max_length=7, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["visibility", "owner"], name="qset_visibility_owner_idx")]

    def __str__(self):
        return self.name


class QuestionSetItem(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "position"], name="qset_item_position_unique"),
            models.UniqueConstraint(fields=["question_set", "question"], name="qset_item_question_unique"),
        ]

    def __str__(self):
        return f"{self.question_set_id}#{self.position}: {self.question_id}"


class QuestionSetRule(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    difficulty = models.CharField(max_length=10, choices=Question.Difficulty.choices, blank=True)
    count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "position"], name="qset_rule_position_unique"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="qset_rule_count_positive"),
        ]

    def __str__(self):
        return f"{self.count} x {self.category_id}/{self.difficulty or 'any'}"


class Invitation(models.Model):
    """A question set sent to a candidate's email: one unguessable token, at most one session."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        EXPIRED = "expired"
        REVOKED = "revoked"

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    # Only a hash of the token's secret is stored; the token is shown once.
    public_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    extra_minutes = models.PositiveIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.OneToOneField(
        InterviewSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"invitation to {self.email}"

    def status_at(self, now) -> str:
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            return self.Status.ACCEPTED
        if now >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def time_limit_minutes(self) -> int:
        """The invited session's time limit: the set's, plus the accommodation."""
        return self.question_set.time_limit_minutes + self.extra_minutes


class InvitationEmail(models.Model):
    """The outbox row of an invitation's email, committed with the invitation and drained until sent.

    It holds the token sealed (hiring.tokens.token_seal) because only a hash
    is stored on the invitation; the ciphertext is wiped once the email is
    sent or no longer wanted (revoked, expired, accepted).
    """

    class Outcome(models.TextChoices):
        SENT = "sent"
        REVOKED = "revoked"
        EXPIRED = "expired"
        ACCEPTED = "accepted"

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="outbox")
    sealed_token = models.TextField(blank=True, help_text="Fernet ciphertext of the token; empty once done.")
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="The sender's lease.")
    last_error = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(done_at__isnull=True),
                name="invitation_outbox_pending_idx",
            )
        ]

    def __str__(self):
        return f"email of invitation {self.invitation_id}"


class QuestionSetSession(models.Model):
    """A session started from a set, directly or through one of its invitations: how results find it."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="session_links")
    session = models.OneToOneField(InterviewSession, on_delete=models.CASCADE, related_name="question_set_link")

    class Meta:
        ordering = ["question_set", "session"]

    def __str__(self):
        return f"set {self.question_set_id}: session {self.session_id}"


class Scorecard(models.Model):
    """One scorer's verdict on one session: a score per answer, a recommendation, a summary.

    Blind: a scorer reads the others' only once their own is in (hiring.scorecards).
    """

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no"
        NO = "no"
        YES = "yes"
        STRONG_YES = "strong_yes"

    # The recommendation as an ordinal value, for agreement and drift.
    RECOMMENDATION_ORDER = {"strong_no": 1, "no": 2, "yes": 3, "strong_yes": 4}

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="scorecards")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices)
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "scorer"], name="scorecard_one_per_scorer"),
            models.CheckConstraint(
                condition=models.Q(recommendation__in=["strong_no", "no", "yes", "strong_yes"]),
                name="scorecard_recommendation_valid",
            ),
        ]

    def __str__(self):
        return f"scorecard of session {self.session_id} by {self.scorer_id}"


class ScorecardScore(models.Model):
    """A scorer's grade of one answer: the key points they saw in it and a 1-4 score."""

    MIN_SCORE, MAX_SCORE = 1, 4

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    session_question = models.ForeignKey(SessionQuestion, on_delete=models.CASCADE, related_name="scorecard_scores")
    position = models.PositiveSmallIntegerField()
    key_points_hit = models.JSONField(default=list, help_text="Indexes into the session question's key points.")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "position"], name="scorecard_score_position_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=4), name="scorecard_score_range"),
        ]

    def __str__(self):
        return f"{self.scorecard_id}#{self.position}: {self.score}"


class IntegrityEvent(models.Model):
    """Something the candidate's page saw during an invitation's session: a paste, a copy, the page
    losing focus. Counted as flags for the hiring manager, never a verdict."""

    class Type(models.TextChoices):
        PASTE = "paste"
        COPY = "copy"
        BLUR = "blur"

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="integrity_events")
    type = models.CharField(max_length=5, choices=Type.choices)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "occurred_at", "id"]
        indexes = [models.Index(fields=["session", "type"], name="integrity_session_type_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=["paste", "copy", "blur"]), name="integrity_type_valid")
        ]

    def __str__(self):
        return f"{self.type} in session {self.session_id}"
