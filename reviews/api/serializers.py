"""Input and output shapes of the spaced-repetition endpoints."""

from zoneinfo import available_timezones

from rest_framework import serializers

from interview_bank.fields import ChoiceField, IdField
from reviews.models import Rating, ReminderPreference, ReviewCard

TIMEZONES = frozenset(available_timezones())


class ReviewCardSerializer(serializers.ModelSerializer):
    """A due card: the question to recall, never its answer."""

    question_id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="question.title", read_only=True)
    prompt = serializers.CharField(source="question.prompt", read_only=True)
    category = serializers.CharField(source="question.category.slug", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = ReviewCard
        fields = ["question_id", "title", "prompt", "category", "due", "state", "reps", "lapses", "is_leech"]
        read_only_fields = fields

    def get_state(self, card) -> str:
        return ReviewCard.State(card.state).label.lower()


class ReviewInputSerializer(serializers.Serializer):
    question_id = IdField()
    rating = ChoiceField(choices=Rating.choices)


class ReviewResultSerializer(ReviewCardSerializer):
    """After rating: the reveal and when the card is due next."""

    model_answer = serializers.CharField(source="question.model_answer", read_only=True)
    key_points = serializers.ListField(source="question.key_points", child=serializers.CharField(), read_only=True)
    follow_ups = serializers.ListField(source="question.follow_ups", child=serializers.CharField(), read_only=True)

    class Meta(ReviewCardSerializer.Meta):
        fields = [*ReviewCardSerializer.Meta.fields, "model_answer", "key_points", "follow_ups"]
        read_only_fields = fields


class ForecastQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, default=7)


class ForecastDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    due = serializers.IntegerField()


class ForecastSerializer(serializers.Serializer):
    days = ForecastDaySerializer(many=True)


class ReminderPreferenceSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField(max_length=64, help_text="An IANA time zone name, e.g. Europe/Paris.")
    hour = serializers.IntegerField(min_value=0, max_value=23, help_text="Local hour, 0-23.")
    min_due = serializers.IntegerField(min_value=1, max_value=1000)

    class Meta:
        model = ReminderPreference
        fields = ["enabled", "timezone", "hour", "min_due"]

    def validate_timezone(self, value):
        if value not in TIMEZONES:
            raise serializers.ValidationError(
                f"{value!r} is not an IANA time zone name; use one like 'Europe/Paris', 'America/New_York' or 'UTC'."
            )
        return value
