"""Admin for hiring managers: sets with ordered items and rules, invitations with status,
read-only scorecards and integrity events."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from accounts.roles import is_hiring_manager
from hiring import selectors, services
from hiring.integrity import integrity_counts
from hiring.models import (
    IntegrityEvent,
    Invitation,
    QuestionSet,
    QuestionSetItem,
    QuestionSetRule,
    Scorecard,
    ScorecardScore,
)
from hiring.scorecards import scorable_sessions
from hiring.tokens import invitation_url
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
        if any(form.errors for form in self.forms):
            return  # a row's own errors (a missing or out-of-range count) first: it has no cleaned value
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


class QuestionSetRuleForm(forms.ModelForm):
    count = forms.IntegerField(min_value=1, max_value=settings.SESSION_MAX_QUESTIONS)


class QuestionSetRuleInline(admin.TabularInline):
    model = QuestionSetRule
    form = QuestionSetRuleForm
    formset = QuestionSetContentsFormSet
    fields = ["position", "category", "difficulty", "count"]
    extra = 0
    ordering = ["position"]


class QuestionSetForm(forms.ModelForm):
    time_limit_minutes = forms.IntegerField(min_value=1, max_value=settings.SESSION_MAX_MINUTES)


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    form = QuestionSetForm
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


class InvitationAddForm(forms.ModelForm):
    """A new invitation, made by hiring.services.invitation_create once the fields are clean.

    The service validates the expiry and emails the link after commit; the
    admin's add view runs in a transaction, so a refusal writes nothing.
    """

    extra_minutes = forms.IntegerField(min_value=0, max_value=600, initial=0, help_text="Accommodation, as the API.")

    # Set per request by InvitationAdmin.get_form.
    user = None
    now = None

    class Meta:
        model = Invitation
        fields = ["question_set", "email", "expires_at", "extra_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].required = False
        self.fields["expires_at"].help_text = (
            f"Default: {services.INVITATION_DEFAULT_DAYS} days from now; "
            f"at most {services.INVITATION_MAX_DAYS} days ahead."
        )
        self.invitation = self.token = None

    def _post_clean(self):
        super()._post_clean()
        # Last, after the model's own validation: once the service has written, no later check may
        # turn the form invalid (the admin would commit an invitation it reports as refused).
        if self.errors:
            return
        cleaned = self.cleaned_data
        try:
            self.invitation, self.token = services.invitation_create(
                question_set=cleaned["question_set"],
                created_by=self.user,
                email=cleaned["email"],
                now=self.now,
                expires_at=cleaned.get("expires_at"),
                extra_minutes=cleaned["extra_minutes"],
            )
        except InvalidRequest as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)


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

    add_fields = ["question_set", "email", "expires_at", "extra_minutes"]

    def has_add_permission(self, request):
        return is_hiring_manager(request.user) and super().has_add_permission(request)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        # Everything but the add form is read-only: an invitation changes only by being revoked.
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.user, form.now = request.user, timezone.now()  # a new class per call: per request
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question_set":
            kwargs["queryset"] = selectors.question_set_list(user=request.user)
            kwargs["error_messages"] = {"invalid_choice": "Choose one of your own question sets or a shared one."}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # The service made the invitation while cleaning the add form; its token exists only here.
        form.invitation.new_token = form.token
        return form.invitation

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        url = invitation_url(obj.new_token)
        self.message_user(
            request,
            f"The invitation link for {obj.email} is emailed to them. Copy it now if you need it; "
            f"it is not stored and will not be shown again: {url}",
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by their services: hiring managers read them, nobody edits or deletes them."""

    def has_view_permission(self, request, obj=None):
        # Rows are scoped by get_queryset (who may read the results), as in the API, not by model permissions.
        return is_hiring_manager(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScorecardScoreInline(admin.TabularInline):
    model = ScorecardScore
    fields = ["position", "session_question", "key_points_hit", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_hiring_manager(request.user)


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["session", "scorer", "recommendation", "submitted_at"]
    list_filter = ["recommendation"]
    list_select_related = ["scorer"]
    fields = ["session", "scorer", "recommendation", "summary", "submitted_at", "integrity_flags"]
    readonly_fields = fields
    inlines = [ScorecardScoreInline]

    def get_queryset(self, request):
        # Blind, as the API: the scorecards of sessions this user may score and has scored themselves.
        scorecards = super().get_queryset(request)
        if request.user.is_superuser:
            return scorecards
        own = Scorecard.objects.filter(scorer=request.user).values("session_id")
        return scorecards.filter(session__in=scorable_sessions(user=request.user), session_id__in=own)

    @admin.display(description="integrity flags (counts, not a verdict)")
    def integrity_flags(self, scorecard):
        counts = integrity_counts([scorecard.session_id])[scorecard.session_id]
        return ", ".join(f"{kind} {n}" for kind, n in counts.items())


@admin.register(IntegrityEvent)
class IntegrityEventAdmin(ReadOnlyAdmin):
    list_display = ["session", "type", "position", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["session__id"]
    show_facets = admin.ShowFacets.ALWAYS  # the counts per type, for the filtered sessions
    fields = list_display
    readonly_fields = fields

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if request.user.is_superuser:
            return events
        return events.filter(session__in=scorable_sessions(user=request.user))
