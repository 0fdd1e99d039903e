"""The admin where hiring managers curate the bank."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html

from questions import hooks, services
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


class QuestionStatsChangeList(ChangeList):
    """The question list with how candidates fared, for the page's questions only: one hook call."""

    def get_results(self, request):
        super().get_results(request)
        questions = list(self.result_list)  # evaluates the page once; the template reuses it
        stats = hooks.question_stats(question_ids=[q.pk for q in questions]) if hooks.question_stats.registered else {}
        for question in questions:
            question.analysis = stats.get(question.pk)


class FlaggedFilter(admin.SimpleListFilter):
    """Questions flagged by the analysis (SPEC §10). Computed over the filtered list through the
    hook: a constant number of queries, one pass over the answers of those questions."""

    title = "analysis"
    parameter_name = "analysis"

    def lookups(self, request, model_admin):
        if not hooks.question_stats.registered:
            return []
        return [("flagged", "flagged"), ("retire", "retirement suggested"), ("ok", "not flagged")]

    def queryset(self, request, queryset):
        if self.value() not in ("flagged", "retire", "ok") or not hooks.question_stats.registered:
            return queryset
        stats = hooks.question_stats(question_ids=queryset.values_list("pk", flat=True))
        key = "retirement_suggested" if self.value() == "retire" else "flagged"
        chosen = [qid for qid, entry in stats.items() if entry[key]]
        return queryset.exclude(pk__in=chosen) if self.value() == "ok" else queryset.filter(pk__in=chosen)


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
        "facility",
        "discrimination",
        "again_share",
        "mean_time",
        "flagged",
        "updated_at",
    ]
    list_filter = ["status", "difficulty", "category", "tags", FlaggedFilter]
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

    def get_changelist(self, request, **kwargs):
        return QuestionStatsChangeList

    # How candidates fared (the hiring app's analysis, through the bank's hook), for
    # hiring managers curating the bank. "-" when nothing is known.
    @staticmethod
    def _stat(question, name, shown=lambda value: value):
        value = (getattr(question, "analysis", None) or {}).get(name)
        return "-" if value is None else shown(value)

    @admin.display(description="asked")
    def times_asked(self, question):
        return self._stat(question, "times_asked")

    @admin.display(description="facility")
    def facility(self, question):
        return self._stat(question, "facility", lambda v: f"{v:.2f}")

    @admin.display(description="discrimination")
    def discrimination(self, question):
        return self._stat(question, "discrimination", lambda v: f"{v:.2f}")

    @admin.display(description="again %")
    def again_share(self, question):
        return self._stat(question, "again_share", lambda v: f"{100 * v:.0f}%")

    @admin.display(description="mean time (s)")
    def mean_time(self, question):
        return self._stat(question, "mean_time_seconds", round)

    @admin.display(description="flagged")
    def flagged(self, question):
        stats = getattr(question, "analysis", None)
        if not stats or not stats["flagged"]:
            return "-"
        marker = "⚠ retire?" if stats["retirement_suggested"] else "⚠"
        return format_html('<span title="{}">{}</span>', "; ".join(stats["flags"]), marker)

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
