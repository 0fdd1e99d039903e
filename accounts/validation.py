"""What a new account must meet, for the sign-up page and the register endpoint alike.

Each check raises Django's ValidationError with a message saying what to do;
forms and DRF serializers both turn that into a field error.
"""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

User = get_user_model()


def username_check_free(username: str) -> str:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("This username is already taken; choose another.")
    return username


def email_check_free(email: str) -> str:
    """The normalised address, if no account has it yet (case-insensitively)."""
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError("An account with this email already exists; log in or reset the password.")
    return email


def password_check(password: str, *, username: str, email: str) -> None:
    """The AUTH_PASSWORD_VALIDATORS, judged against the account-to-be (not too like its name)."""
    password_validation.validate_password(password, user=User(username=username, email=email))
