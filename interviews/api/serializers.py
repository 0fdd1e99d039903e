"""Input and output shapes of the session workflows (one serializer per workflow)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interview_bank.fields import ChoiceField, IdField
from interviews.models import InterviewSession, SessionQuestion
from interviews.selectors import session_summary_of, session_time_remaining_seconds
from questions.models import Category, Question, Tag
from questions.sampling import MAX_SEED
from reviews.models import Rating

# Key points are indexed from 0; a question has at most Question.MAX_KEY_POINTS of them.
MAX_KEY_POINT_INDEX = Question.MAX_KEY_POINTS - 1


def _allowed_slugs(model) -> str:
    return ", ".join(model.objects.order_by("slug").values_list("slug", flat=True))


def _slugs_exist(model, slugs, what):
    known = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise serializers.ValidationError(f"Unknown {what} {unknown}; allowed: {_allowed_slugs(model)}.")
    return list(dict.fromkeys(slugs))


class QuotaSerializer(serializers.Serializer):
    # Whether the category exists is checked for all quotas at once (validate_quotas).
    category = serializers.SlugField()
    difficulty = ChoiceField(choices=Question.Difficulty.choices, required=False)
    count = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS)


class SessionStartSerializer(serializers.Serializer):
    """Either `count` (with optional filters) or `quotas`."""

    count = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS, required=False)
    categories = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    difficulties = serializers.ListField(
        child=ChoiceField(choices=Question.Difficulty.choices), required=False, max_length=3
    )
    tags = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    quotas = QuotaSerializer(many=True, required=False, max_length=36)
    question_set = IdField(
        required=False, help_text="A question set you can see (hiring managers): its questions and time."
    )
    time_limit_minutes = serializers.IntegerField(
        min_value=1,
        max_value=settings.SESSION_MAX_MINUTES,
        required=False,
        help_text="Defaults to the sum of the drawn questions' expected minutes.",
    )
    exclude_seen = serializers.BooleanField(default=True)
    include_due_reviews = serializers.BooleanField(default=False)
    seed = serializers.IntegerField(min_value=0, max_value=MAX_SEED, required=False)

    def validate_categories(self, value):
        return _slugs_exist(Category, value, "categories")

    def validate_tags(self, value):
        return _slugs_exist(Tag, value, "tags")

    def validate_quotas(self, quotas):
        # One query for every quota's category, not one per quota; the error
        # sits on the quota that names an unknown one.
        known = set(Category.objects.filter(slug__in={q["category"] for q in quotas}).values_list("slug", flat=True))
        if all(q["category"] in known for q in quotas):
            return quotas
        allowed = _allowed_slugs(Category)
        raise serializers.ValidationError(
            [
                {}
                if q["category"] in known
                else {"category": [f"Unknown category {q['category']!r}; allowed: {allowed}."]}
                for q in quotas
            ]
        )

    def validate(self, attrs):
        if sum(k in attrs for k in ("count", "quotas", "question_set")) != 1:
            raise serializers.ValidationError(
                {
                    "count": [
                        "Give exactly one of `count` (with optional categories, difficulties, tags), "
                        "`quotas` or `question_set`."
                    ]
                }
            )
        if "quotas" in attrs:
            if not attrs["quotas"]:
                raise serializers.ValidationError({"quotas": ["Give at least one quota."]})
            if any(k in attrs for k in ("categories", "difficulties", "tags")):
                raise serializers.ValidationError(
                    {"quotas": ["Filters go inside each quota; drop categories/difficulties/tags."]}
                )
            total = sum(q["count"] for q in attrs["quotas"])
            if total > settings.SESSION_MAX_QUESTIONS:
                raise serializers.ValidationError(
                    {"quotas": [f"The quotas ask for {total} questions; at most {settings.SESSION_MAX_QUESTIONS}."]}
                )
        return attrs


class AnswerSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS)
    answer = serializers.CharField(max_length=settings.ANSWER_MAX_CHARS, allow_blank=True, trim_whitespace=False)
    key_points_hit = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_KEY_POINT_INDEX),
        required=False,
        allow_null=True,
        max_length=50,
        help_text="0-based indexes of the key points the answer covered.",
    )
    rating = ChoiceField(
        choices=Rating.choices,
        required=False,
        allow_null=True,
        help_text="Self-rating; derived from key_points_hit when absent.",
    )


class GradeSerializer(serializers.Serializer):
    """Self-grading after the reveal: tick the key points the answer covered."""

    position = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS)
    key_points_hit = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_KEY_POINT_INDEX),
        max_length=50,
        help_text="0-based indexes of the key points the answer covered (may be empty).",
    )
    rating = ChoiceField(
        choices=Rating.choices,
        required=False,
        allow_null=True,
        help_text="Self-rating; derived from key_points_hit when absent.",
    )


class SessionQuestionSerializer(serializers.ModelSerializer):
    """A question as the candidate sees it: the rubric only once revealed."""

    REVEALED_FIELDS = ("model_answer", "key_points", "follow_ups")

    question_id = serializers.IntegerField(read_only=True)
    answered = serializers.BooleanField(read_only=True)
    revealed = serializers.BooleanField(read_only=True)
    model_answer = serializers.CharField(required=False, help_text="Once answered or the session is over.")
    key_points = serializers.ListField(child=serializers.CharField(), required=False)
    follow_ups = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = SessionQuestion
        fields = [
            "position",
            "question_id",
            "revision",
            "title",
            "prompt",
            "category",
            "difficulty",
            "expected_minutes",
            "answered",
            "answer",
            "key_points_hit",
            "rating",
            "time_spent_seconds",
            "answered_at",
            "revealed",
            "model_answer",
            "key_points",
            "follow_ups",
        ]
        read_only_fields = fields[:15]

    def to_representation(self, item):
        data = super().to_representation(item)
        if not data["revealed"]:
            for name in self.REVEALED_FIELDS:
                data.pop(name)
        return data


class SummarySerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    skipped = serializers.IntegerField()
    time_used_seconds = serializers.IntegerField()
    score = serializers.FloatField(min_value=0, max_value=1)
    by_category = serializers.ListField(child=serializers.DictField())


class SessionSerializer(serializers.ModelSerializer):
    time_remaining_seconds = serializers.SerializerMethodField()
    questions = SessionQuestionSerializer(many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = InterviewSession
        fields = [
            "id",
            "status",
            "origin",
            "started_at",
            "deadline",
            "finished_at",
            "time_limit_minutes",
            "time_remaining_seconds",
            "reused_count",
            "seed",
            "questions",
            "summary",
        ]
        read_only_fields = fields

    def get_time_remaining_seconds(self, session) -> int:
        return session_time_remaining_seconds(session, now=self.context["now"])

    @extend_schema_field(SummarySerializer(allow_null=True))
    def get_summary(self, session):
        return session_summary_of(session)
