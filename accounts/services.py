"""Account writes: registration and role changes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.roles import HIRING_MANAGERS_GROUP

User = get_user_model()


@transaction.atomic
def user_register(*, username: str, email: str, password: str):
    """Create a candidate account (every user is a candidate) and its API token.

    Input is validated by the caller (uniqueness, password strength); the
    password is stored with the first hasher in PASSWORD_HASHERS (Argon2).
    """
    user = User.objects.create_user(username=username, email=email, password=password)
    Token.objects.create(user=user)
    return user


@transaction.atomic
def user_make_hiring_manager(*, user) -> None:
    """Give a user the hiring manager role: the group, and staff for the admin."""
    group = Group.objects.get(name=HIRING_MANAGERS_GROUP)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
