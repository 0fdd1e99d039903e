"""API permissions for the question bank."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class QuestionBankPermissions(DjangoModelPermissions):
    """Any signed-in user reads; writes need the model's add/change/delete permission,
    which the hiring_managers group holds."""

    authenticated_users_only = True

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            # Reads need no model permission (perms_map is empty for them), so
            # the view's queryset is not built just to learn its model.
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)
