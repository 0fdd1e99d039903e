"""Read-only admin views of sessions, for staff investigating a candidate's report."""

from django.contrib import admin

from interviews.models import InterviewSession, SessionQuestion


class SessionQuestionInline(admin.TabularInline):
    model = SessionQuestion
    fields = ["position", "title", "category", "difficulty", "answered_at", "rating", "time_spent_seconds"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "candidate", "origin", "status", "started_at", "deadline", "reused_count"]
    list_filter = ["status", "origin"]
    search_fields = ["candidate__username", "candidate__email"]
    list_select_related = ["candidate"]
    inlines = [SessionQuestionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
