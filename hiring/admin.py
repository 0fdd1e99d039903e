"""Admin for hiring managers: sets with ordered items and rules, invitations with status."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from accounts.roles import is_hiring_manager
from hiring import selectors, services
from hiring.models import Invitation, QuestionSet, QuestionSetItem, QuestionSetRule


def _visible_sets(request):
    sets = QuestionSet.objects.all()
    if request.user.is_superuser:
        return sets
    return sets.filter(Q(owner=request.user) | Q(visibility=QuestionSet.Visibility.SHARED))


class QuestionSetItemInline(admin.TabularInline):
    model = QuestionSetItem
    fields = ["position", "question"]
    raw_id_fields = ["question"]
    extra = 1
    ordering = ["position"]


class QuestionSetRuleInline(admin.TabularInline):
    model = QuestionSetRule
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
