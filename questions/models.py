"""The question bank: categories, tags and questions with their rubric."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
    "A key is '<category-slug>/<kebab-case-slug>', e.g. 'databases/isolation-levels'.",
)


def key_category_error(key: str, category_slug: str) -> str | None:
    """Why `key` cannot be a new key in `category_slug` (its prefix names another category), or None."""
    prefix = key.partition("/")[0]
    if prefix == category_slug:
        return None
    return f"The key must start with its category: '{category_slug}/...', not '{prefix}/...'."


class Category(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "slug"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Tag(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Question(models.Model):
    class Difficulty(models.TextChoices):
        JUNIOR = "junior"
        MID = "mid"
        SENIOR = "senior"

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        RETIRED = "retired"

    # Edits to these change what a candidate is asked or graded against, so
    # they bump `revision` (SPEC §3); status, tags and metadata do not.
    CONTENT_FIELDS = ("title", "prompt", "model_answer", "key_points", "follow_ups")

    MAX_KEY_POINTS = 10
    MAX_FOLLOW_UPS = 5
    MAX_EXPECTED_MINUTES = 120

    key = models.CharField(
        max_length=120,
        unique=True,
        validators=[KEY_VALIDATOR],
        help_text="Stable identifier used by import/export; never reused.",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    title = models.CharField(max_length=200)
    prompt = models.TextField(help_text="Markdown, as the interviewer asks it.")
    model_answer = models.TextField(help_text="Markdown; what a strong candidate says.")
    key_points = models.JSONField(default=list, help_text="Ordered rubric items a good answer covers.")
    follow_ups = models.JSONField(default=list, blank=True)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    expected_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXPECTED_MINUTES)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_questions",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Set by the services from the request's clock (not auto_now): updated_at
    # drives Last-Modified, and moves on tag changes too.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        permissions = [
            ("view_model_answer", "Can see model answers and key points outside a session"),
        ]
        indexes = [
            # The candidate list and the draw filter published questions by
            # category and difficulty.
            models.Index(fields=["status", "category", "difficulty"], name="question_pool_idx"),
            models.Index(fields=["status", "updated_at"], name="question_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__in=["junior", "mid", "senior"]),
                name="question_difficulty_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]),
                name="question_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(expected_minutes__gte=1, expected_minutes__lte=120),
                name="question_expected_minutes_range",
            ),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="question_revision_positive"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # A key names the category a question is created in; it never changes after, so a
        # question moved to another category since keeps it.
        if self._state.adding and self.key and self.category_id:
            error = key_category_error(self.key, self.category.slug)
            if error:
                raise ValidationError({"key": error})


class BankVersion(models.Model):
    """One row whose `value` rises with every committed change to the bank.

    Draw pools cached in each process compare it to know when to rebuild
    (questions.pools); it moves in the same transaction as the change.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"bank v{self.value}"
