"""Input and output shapes of the auth endpoints."""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.validation import email_check_free, password_check, username_check_free

User = get_user_model()


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @/./+/-/_ only, at most 150 characters.",
    )
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})

    def validate_username(self, value):
        return username_check_free(value)

    def validate_email(self, value):
        return email_check_free(value)

    def validate(self, attrs):
        try:
            password_check(attrs["password"], username=attrs["username"], email=attrs["email"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class RegisteredUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    token = serializers.CharField(source="auth_token.key")


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
