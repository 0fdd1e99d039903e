"""Admin for hiring managers: sets with ordered items and rules, invitations with status."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from accounts.roles import is_hiring_manager
from hiring import selectors, services
from hiring.models import Invitation, QuestionSet, QuestionSetItem, QuestionSetRule
from interview_bank.exceptions import InvalidRequest


def _visible_sets(request):
    sets = QuestionSet.objects.all()
    if request.user.is_superuser:
        return sets
    return sets.filter(Q(owner=request.user) | Q(visibility=QuestionSet.Visibility.SHARED))


class QuestionSetContentsFormSet(BaseInlineFormSet):
    """The item and rule inlines of one set, checked together by the API's own rules.

    Each formset joins the request's `siblings`; the last one to be cleaned
    sees both and asks hiring.services whether the contents make a set.
    """

    def __init__(self, *args, siblings: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.siblings = siblings if siblings is not None else [self]
        if self not in self.siblings:
            self.siblings.append(self)

    def kept_rows(self) -> list[dict]:
        """The cleaned rows that will be saved (not blank extras, not marked for deletion), in order."""
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return sorted(rows, key=lambda row: row.get("position") or 0)

    def clean(self):
        super().clean()
        if self is not self.siblings[-1] or not all(formset.is_valid() for formset in self.siblings[:-1]):
            return  # the others' own errors are shown first
        rows = {formset.model: formset.kept_rows() for formset in self.siblings}
        questions = [row["question"] for row in rows.get(QuestionSetItem, [])]
        rules = [
            {
                "category": row["category"].slug,
                "category_obj": row["category"],
                "difficulty": row.get("difficulty") or None,
                "count": row["count"],
            }
            for row in rows.get(QuestionSetRule, [])
        ]
        try:
            services.question_set_contents_check(questions=questions, rules=rules)
        except InvalidRequest as exc:
            raise ValidationError(exc.message) from exc


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    formset = QuestionSetContentsFormSet
    fields = ["position", "question"]
    raw_id_fields = ["question"]
    extra = 1
    ordering = ["position"]


class QuestionSetRuleInline(admin.TabularInline):
    model = QuestionSetRule
    formset = QuestionSetContentsFormSet
    fields = ["position", "category", "difficulty", "count"]
    extra = 0
    ordering = ["position"]


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "visibility", "time_limit_minutes", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "description"]
    readonly_fields = ["owner"]
    inlines = [QuestionSetItemInline, QuestionSetRuleInline]

    def get_queryset(self, request):
        return _visible_sets(request).select_related("owner")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.is_superuser or obj.owner_id == request.user.pk)

    has_delete_permission = has_change_permission

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # One list per request, so the item and rule formsets can be checked together.
        siblings = request.__dict__.setdefault("_question_set_contents", [])
        return {**super().get_formset_kwargs(request, obj, inline, prefix), "siblings": siblings}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "question_set", "status_now", "expires_at", "extra_minutes", "accepted_at", "emailed_at"]
    list_filter = ["question_set"]
    search_fields = ["email"]
    fields = [
        "question_set",
        "email",
        "expires_at",
        "extra_minutes",
        "created_by",
        "created_at",
        "emailed_at",
        "accepted_at",
        "accepted_by",
        "session",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        # The API's rule: the invitations this user sent, and all of those on sets they own.
        return selectors.invitation_list(user=request.user).select_related("question_set")

    def has_add_permission(self, request):
        return False  # invitations carry a token shown once: create them through the API

    @admin.display(description="status")
    def status_now(self, invitation):
        return invitation.status_at(timezone.now())

    @admin.action(description="Revoke selected pending invitations", permissions=["change"])
    def revoke(self, request, queryset):
        if not is_hiring_manager(request.user):
            return
        revoked = 0
        now = timezone.now()
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            services.invitation_revoke(invitation_id=invitation.pk, user=request.user, now=now)
            revoked += 1
        self.message_user(request, f"{revoked} invitation(s) revoked.", messages.SUCCESS)
