"""Input and output shapes of the question bank API."""

from rest_framework import serializers

from interview_bank.fields import ChoiceField, SlugLookupField
from questions.models import Category, Question, Tag, key_category_error
from questions.sampling import MAX_SEED
from questions.validation import QuestionContentSerializer


class QuestionStatsSerializer(serializers.Serializer):
    """How candidates fared on a question (SPEC §10; the rules: hiring/analysis.py)."""

    times_asked = serializers.IntegerField()
    times_answered = serializers.IntegerField()
    exposure = serializers.IntegerField(help_text="Distinct candidates who were asked it.")
    mean_score = serializers.FloatField(allow_null=True, help_text="The same as facility (its older name).")
    facility = serializers.FloatField(allow_null=True, help_text="Mean score 0-1 over the answers; null unanswered.")
    discrimination = serializers.FloatField(
        allow_null=True,
        help_text="Correlation (-1 to 1) of the question's score with the mean score of the session's other "
        "questions; null below 5 answers or when either side does not vary.",
    )
    mean_time_seconds = serializers.FloatField(allow_null=True)
    again_share = serializers.FloatField(allow_null=True)
    flagged = serializers.BooleanField(
        help_text="At least 5 answers, and everyone fails it (facility under 0.3 or more than half rated "
        "again) or it does not discriminate (under 0.2)."
    )
    flags = serializers.ListField(child=serializers.CharField(), help_text="Why it is flagged, in words.")
    retirement_suggested = serializers.BooleanField(
        help_text="At least 20 answers and discrimination under 0.1 or facility under 0.15 (the reason is in flags)."
    )


class CategorySerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True, help_text="Published questions.")

    class Meta:
        model = Category
        fields = ["slug", "name", "description", "display_order", "question_count"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question as read. The rubric fields are present only when the
    serializer context says `reveal` (hiring managers and staff)."""

    REVEALED_FIELDS = ("model_answer", "key_points", "follow_ups", "stats")

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    # Not read_only, so the schema does not mark them required: candidates
    # never receive them.
    model_answer = serializers.CharField(required=False, help_text="Hiring managers and staff only.")
    key_points = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Hiring managers and staff only."
    )
    follow_ups = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Hiring managers and staff only."
    )
    stats = QuestionStatsSerializer(
        required=False, help_text="Hiring managers and staff only: how candidates fared (detail only)."
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "key",
            "category",
            "tags",
            "title",
            "prompt",
            "difficulty",
            "expected_minutes",
            "status",
            "revision",
            "created_at",
            "updated_at",
            "model_answer",
            "key_points",
            "follow_ups",
            "stats",
        ]
        read_only_fields = fields[:12]

    def to_representation(self, instance):
        stats = self.context.get("stats")
        if stats is not None:
            instance.stats = stats.get(instance.pk)
        data = super().to_representation(instance)
        if data.get("stats") is None:
            data.pop("stats", None)
        if not self.context.get("reveal"):
            for name in self.REVEALED_FIELDS:
                data.pop(name, None)
        return data


class CandidateQuestionSerializer(serializers.ModelSerializer):
    """A question as a candidate reads it: the published fields of QuestionSerializer,
    without building the rubric fields that would only be dropped."""

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Question
        fields = QuestionSerializer.Meta.read_only_fields
        read_only_fields = fields


class QuestionWriteSerializer(QuestionContentSerializer):
    """What a hiring manager sends to create (all required) or PATCH (any) a question."""

    key = serializers.RegexField(
        r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length=120,
        required=False,
        help_text="Stable key '<category>/<slug>'; derived from the title when omitted. Cannot change.",
    )
    category = SlugLookupField(slug_field="slug", queryset=Category.objects.all())
    tags = SlugLookupField(slug_field="slug", queryset=Tag.objects.all(), many=True, required=False)

    def validate_key(self, value):
        if self.instance is not None and value != self.instance.key:
            raise serializers.ValidationError("A question's key cannot change.")
        if self.instance is None and Question.objects.filter(key=value).exists():
            raise serializers.ValidationError("A question with this key already exists.")
        return value

    def validate(self, attrs):
        if self.instance is None and "key" in attrs and "category" in attrs:
            error = key_category_error(attrs["key"], attrs["category"].slug)
            if error:
                raise serializers.ValidationError({"key": [error]})
        return attrs


class RandomQuestionsQuerySerializer(serializers.Serializer):
    MAX_COUNT = 50

    count = serializers.IntegerField(min_value=1, max_value=MAX_COUNT, default=1)
    category = SlugLookupField(slug_field="slug", queryset=Category.objects.all(), required=False)
    difficulty = ChoiceField(choices=Question.Difficulty.choices, required=False)
    tag = SlugLookupField(slug_field="slug", queryset=Tag.objects.all(), required=False)
    seed = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        help_text="Repeat a draw: same seed, same bank, same questions.",
    )
