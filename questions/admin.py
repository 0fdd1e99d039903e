"""The admin where hiring managers curate the bank."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Avg, Count, Q
from django.utils import timezone

from questions import services
from questions.models import Category, Question, Tag
from questions.pools import bank_version_bump


class LinesField(forms.CharField):
    """A list of strings edited as a textarea, one item per line."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 100})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionAdminForm(forms.ModelForm):
    key_points = LinesField(help_text=f"One rubric item per line, at most {Question.MAX_KEY_POINTS}.", required=True)
    follow_ups = LinesField(
        help_text=f"One follow-up question per line, at most {Question.MAX_FOLLOW_UPS}.", required=False
    )

    class Meta:
        model = Question
        fields = [
            "key",
            "title",
            "category",
            "difficulty",
            "expected_minutes",
            "status",
            "tags",
            "prompt",
            "model_answer",
            "key_points",
            "follow_ups",
        ]

    def clean_key_points(self):
        items = self.cleaned_data["key_points"]
        if not 1 <= len(items) <= Question.MAX_KEY_POINTS:
            raise forms.ValidationError(f"Give between 1 and {Question.MAX_KEY_POINTS} key points.")
        return items

    def clean_follow_ups(self):
        items = self.cleaned_data["follow_ups"]
        if len(items) > Question.MAX_FOLLOW_UPS:
            raise forms.ValidationError(f"Give at most {Question.MAX_FOLLOW_UPS} follow-ups.")
        return items


class BankAdmin(admin.ModelAdmin):
    """Every save or delete through the admin moves BankVersion, inside the
    admin's transaction: cached reads and draw pools are keyed by it. The bump
    follows save_related, so edits to a question's tags count too."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        bank_version_bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bank_version_bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        bank_version_bump()


@admin.register(Category)
class CategoryAdmin(BankAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Tag)
class TagAdmin(BankAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Question)
class QuestionAdmin(BankAdmin):
    form = QuestionAdminForm
    list_display = [
        "title",
        "category",
        "difficulty",
        "status",
        "revision",
        "times_asked",
        "again_share",
        "mean_time",
        "flagged",
        "updated_at",
    ]
    list_filter = ["status", "difficulty", "category", "tags"]
    list_select_related = ["category"]
    search_fields = ["title", "prompt", "key"]
    filter_horizontal = ["tags"]
    readonly_fields = ["revision", "author", "created_at", "updated_at"]
    actions = ["publish", "retire"]
    fieldsets = [
        (None, {"fields": ["key", "title", "category", "difficulty", "expected_minutes", "status", "tags"]}),
        ("Content", {"fields": ["prompt", "model_answer", "key_points", "follow_ups"]}),
        ("History", {"fields": ["revision", "author", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # How candidates fared, for hiring managers curating the bank.
        return (
            super()
            .get_queryset(request)
            .annotate(
                asked=Count("session_questions"),
                answered=Count("session_questions", filter=Q(session_questions__answered_at__isnull=False)),
                again=Count("session_questions", filter=Q(session_questions__rating="again")),
                avg_time=Avg("session_questions__time_spent_seconds"),
            )
        )

    @admin.display(description="asked", ordering="asked")
    def times_asked(self, question):
        return question.asked

    @admin.display(description="again %")
    def again_share(self, question):
        return f"{100 * question.again / question.answered:.0f}%" if question.answered else "-"

    @admin.display(description="mean time (s)", ordering="avg_time")
    def mean_time(self, question):
        return round(question.avg_time) if question.avg_time is not None else "-"

    @admin.display(description="most fail", boolean=True)
    def flagged(self, question):
        # Same rule as the API's stats: 5+ answers and more than half rated again.
        return question.answered >= 5 and question.again / question.answered > 0.5

    def get_readonly_fields(self, request, obj=None):
        # The key is the question's identity in exported banks: set once.
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
            obj.created_at = obj.updated_at = timezone.now()
            obj.save()
            return
        # Route edits through the service so content changes bump the revision.
        original = Question.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "tags"}
        for name in changes:
            setattr(obj, name, getattr(original, name))
        services.question_update(question=obj, now=timezone.now(), **changes)

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request, queryset):
        count = services.questions_set_status(questions=queryset, status=Question.Status.PUBLISHED, now=timezone.now())
        self.message_user(request, f"{count} question(s) published.", messages.SUCCESS)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire(self, request, queryset):
        count = services.questions_set_status(questions=queryset, status=Question.Status.RETIRED, now=timezone.now())
        self.message_user(request, f"{count} question(s) retired.", messages.SUCCESS)
