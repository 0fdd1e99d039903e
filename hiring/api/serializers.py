"""Input and output shapes of question sets, invitations and results."""

from django.conf import settings
from rest_framework import serializers

from hiring.models import IntegrityEvent, Invitation, QuestionSet, Scorecard
from hiring.services import INVITATION_DEFAULT_DAYS, INVITATION_MAX_DAYS
from hiring.tokens import invitation_url
from interview_bank.fields import ChoiceField, IdRelatedField
from interviews.api.serializers import SessionQuestionSerializer, SummarySerializer
from questions.models import Category, Question
from questions.sampling import MAX_SEED


class RuleSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    difficulty = ChoiceField(choices=Question.Difficulty.choices, required=False, allow_null=True)
    count = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS)

    def to_internal_value(self, data):
        # DRF hands a PATCH's partial=True down to nested serializers, which
        # would then skip a rule's missing fields; but new rules replace the
        # old ones whole, so each is validated as a whole.
        if getattr(self.root, "partial", False):
            rule = RuleSerializer(data=data, context=self.context)
            rule.is_valid(raise_exception=True)
            return rule.validated_data
        return super().to_internal_value(data)

    def to_representation(self, rule):
        return {"category": rule.category.slug, "difficulty": rule.difficulty or None, "count": rule.count}


class QuestionSetInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    questions = IdRelatedField(
        queryset=Question.objects.all(), many=True, required=False, help_text="Ordered question ids (a fixed set)."
    )
    rules = RuleSerializer(many=True, required=False, help_text="A blueprint: {category, difficulty?, count}.")
    time_limit_minutes = serializers.IntegerField(min_value=1, max_value=settings.SESSION_MAX_MINUTES)
    visibility = ChoiceField(choices=QuestionSet.Visibility.choices, required=False)

    def validate_questions(self, value):
        ids = [q.pk for q in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Questions {duplicates} appear more than once.")
        return value

    def validate_rules(self, value):
        return [
            {
                "category": r["category"].slug,
                "category_obj": r["category"],
                "difficulty": r.get("difficulty"),
                "count": r["count"],
            }
            for r in value
        ]


class QuestionSetSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    questions = serializers.SerializerMethodField()
    rules = RuleSerializer(many=True, read_only=True)
    kind = serializers.SerializerMethodField()

    class Meta:
        model = QuestionSet
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "kind",
            "questions",
            "rules",
            "time_limit_minutes",
            "visibility",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_questions(self, question_set) -> list[int]:
        return [item.question_id for item in question_set.items.all()]

    def get_kind(self, question_set) -> str:
        return "blueprint" if question_set.rules.all() else "fixed"


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    expires_at = serializers.DateTimeField(
        required=False,
        help_text=f"Default: {INVITATION_DEFAULT_DAYS} days from now; at most {INVITATION_MAX_DAYS} days ahead.",
    )
    extra_minutes = serializers.IntegerField(min_value=0, max_value=600, default=0, help_text="Accommodation.")


class SessionFromSetSerializer(serializers.Serializer):
    seed = serializers.IntegerField(
        min_value=0, max_value=MAX_SEED, required=False, help_text="Repeat a blueprint's draw."
    )


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    question_set = serializers.IntegerField(source="question_set_id", read_only=True)
    session = serializers.IntegerField(source="session_id", read_only=True, allow_null=True)
    token = serializers.SerializerMethodField(help_text="Only in the response that created the invitation.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "question_set",
            "email",
            "token",
            "url",
            "expires_at",
            "extra_minutes",
            "status",
            "created_at",
            "emailed_at",
            "accepted_at",
            "session",
        ]
        read_only_fields = fields

    def get_status(self, invitation) -> str:
        return invitation.status_at(self.context["now"])

    def get_token(self, invitation) -> str | None:
        return self.context.get("token")

    def get_url(self, invitation) -> str | None:
        token = self.context.get("token")
        return invitation_url(token) if token else None


class InvitationPublicSerializer(serializers.Serializer):
    """What the invited candidate sees before accepting."""

    question_set = serializers.CharField(source="question_set.name")
    description = serializers.CharField(source="question_set.description")
    time_limit_minutes = serializers.IntegerField(help_text="The set's time limit plus any extra time.")
    expires_at = serializers.DateTimeField()
    status = serializers.SerializerMethodField()

    def get_status(self, invitation) -> str:
        return invitation.status_at(self.context["now"])


class ResultSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    questions = SessionQuestionSerializer(many=True)


class IntegrityCountsSerializer(serializers.Serializer):
    """How often the candidate's page saw each signal: flags to weigh, never a verdict."""

    paste = serializers.IntegerField()
    copy = serializers.IntegerField()
    blur = serializers.IntegerField(help_text="Times the page lost focus (another tab or window).")


class ResultRowSerializer(serializers.Serializer):
    invitation = InvitationSerializer(allow_null=True)
    status = serializers.CharField()
    candidate = serializers.CharField(source="candidate.username", allow_null=True, default=None)
    session = ResultSessionSerializer(allow_null=True)
    summary = SummarySerializer(allow_null=True)
    integrity = IntegrityCountsSerializer(
        allow_null=True,
        help_text="Counts of integrity events in an invitation's session; null when nothing is recorded "
        "(no session yet, or one not started from an invitation).",
    )


class IntegrityEventInputSerializer(serializers.Serializer):
    type = ChoiceField(choices=IntegrityEvent.Type.choices)
    position = serializers.IntegerField(
        min_value=1,
        max_value=settings.SESSION_MAX_QUESTIONS,
        required=False,
        allow_null=True,
        help_text="The position on screen when it happened.",
    )


class IntegrityEventSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)

    class Meta:
        model = IntegrityEvent
        fields = ["id", "session", "type", "position", "occurred_at"]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    key_points_hit = serializers.ListField(child=serializers.IntegerField(min_value=0), required=False, default=list)
    score = serializers.IntegerField(
        min_value=1, max_value=4, error_messages={"min_value": "Score must be 1-4.", "max_value": "Score must be 1-4."}
    )


class ScorecardInputSerializer(serializers.Serializer):
    recommendation = ChoiceField(choices=Scorecard.Recommendation.choices)
    summary = serializers.CharField(allow_blank=True, required=False, default="", max_length=10000)
    scores = ScoreInputSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    key_points_hit = serializers.ListField(child=serializers.IntegerField())
    score = serializers.IntegerField()


class ScorecardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    scorer = serializers.CharField(source="scorer.username")
    recommendation = serializers.CharField()
    summary = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    scores = ScoreSerializer(many=True)
