"""Who may do what: roles are Django groups and permissions (SPEC §1)."""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

# The group a migration of `questions` creates with the bank's permissions;
# `hiring` adds its own. Members are hiring managers.
HIRING_MANAGERS_GROUP = "hiring_managers"

# The permission that makes a hiring manager: seeing model answers outside a session.
HIRING_MANAGER_PERMISSION = ("questions", "view_model_answer")

# Where a request's user carries the answer once it is known (one lookup per request).
_ROLE_ATTRIBUTE = "_is_hiring_manager"


def is_hiring_manager(user) -> bool:
    """Hiring managers and staff curate questions and see model answers.

    Asked several times per request (permissions, selectors, serializers), so
    the answer is kept on the user object: one lookup per request, or none
    when authentication already read it (hiring_manager_annotation).
    """
    if not user or not user.is_authenticated:
        return False
    known = getattr(user, _ROLE_ATTRIBUTE, None)
    if known is None:
        holds = get_user_model().objects.filter(pk=user.pk).filter(holds_hiring_manager_permission())
        known = role_from(user, holds_permission=holds.exists())
        remember_role(user, is_hiring_manager=known)
    return known


def role_from(user, *, holds_permission: bool) -> bool:
    """The rule, given whether the user holds the permission (directly or by a group):
    staff always; otherwise active users with it (superusers hold every permission)."""
    return user.is_staff or (user.is_active and (user.is_superuser or holds_permission))


def remember_role(user, *, is_hiring_manager: bool) -> None:
    setattr(user, _ROLE_ATTRIBUTE, is_hiring_manager)


def holds_hiring_manager_permission(user_ref: str = "pk") -> ExpressionWrapper:
    """True for users holding the hiring manager permission, directly or by a group.

    An expression, so the role is read in the query that loads the user: filter
    users by it, or annotate rows pointing at a user (tokens: `user_ref="user_id"`).
    """
    ref = OuterRef(user_ref)
    app_label, codename = HIRING_MANAGER_PERMISSION
    User = get_user_model()
    direct = User.user_permissions.through.objects.filter(
        user_id=ref, permission__codename=codename, permission__content_type__app_label=app_label
    )
    via_group = User.groups.through.objects.filter(
        user_id=ref,
        group__permissions__codename=codename,
        group__permissions__content_type__app_label=app_label,
    )
    return ExpressionWrapper(Q(Exists(direct)) | Q(Exists(via_group)), output_field=BooleanField())
