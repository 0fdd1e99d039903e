from rest_framework.permissions import BasePermission

from accounts.roles import is_hiring_manager


class IsHiringManager(BasePermission):
    message = "Only hiring managers can manage question sets and invitations."

    def has_permission(self, request, view):
        return is_hiring_manager(request.user)
