"""The shape and bounds of a question's content, shared by the API and bank import."""

from rest_framework import serializers

from interview_bank.fields import ChoiceField
from questions.models import Question

MAX_TITLE = 200
MAX_PROMPT = 5_000
MAX_MODEL_ANSWER = 20_000
MAX_KEY_POINT = 300
MAX_FOLLOW_UP = 500


class QuestionContentSerializer(serializers.Serializer):
    """Validates the fields every question carries; errors name field and bound."""

    title = serializers.CharField(max_length=MAX_TITLE)
    prompt = serializers.CharField(max_length=MAX_PROMPT)
    model_answer = serializers.CharField(max_length=MAX_MODEL_ANSWER)
    key_points = serializers.ListField(
        child=serializers.CharField(max_length=MAX_KEY_POINT),
        min_length=1,
        max_length=Question.MAX_KEY_POINTS,
        help_text=f"1-{Question.MAX_KEY_POINTS} rubric items, each at most {MAX_KEY_POINT} characters.",
    )
    follow_ups = serializers.ListField(
        child=serializers.CharField(max_length=MAX_FOLLOW_UP),
        max_length=Question.MAX_FOLLOW_UPS,
        required=False,
        default=list,
        help_text=f"0-{Question.MAX_FOLLOW_UPS} follow-up questions.",
    )
    difficulty = ChoiceField(choices=Question.Difficulty.choices)
    expected_minutes = serializers.IntegerField(min_value=1, max_value=Question.MAX_EXPECTED_MINUTES)
    status = ChoiceField(choices=Question.Status.choices, default=Question.Status.DRAFT)
