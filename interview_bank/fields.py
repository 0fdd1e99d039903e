"""Serializer fields every app's API uses, so a rule about input holds everywhere at once.

- A choice error names what is allowed: DRF's says only `"x" is not a valid
  choice.` (`ChoiceField`, and `choice_error_messages` for django-filter's
  form-based filters).
- An id fits the database: ids are 64-bit signed integers (BigAutoField on
  SQLite and PostgreSQL); a larger number is a 400 naming the bound, never
  an OverflowError from the driver (`IdField`).
- A slug is a slug before it is looked up: text PostgreSQL cannot hold (a
  NUL byte) is a 400 saying what a slug is, never a DataError (`SlugLookupField`).
"""

from django.core.validators import slug_re
from rest_framework import serializers

MAX_DB_ID = 2**63 - 1  # BigAutoField / SQLite INTEGER / PostgreSQL bigint


def allowed_choices(choices) -> str:
    return ", ".join(str(value) for value in dict(choices))


class ChoiceField(serializers.ChoiceField):
    """DRF's ChoiceField whose invalid-choice message lists the allowed values."""

    default_error_messages = {"invalid_choice": "'{input}' is not a valid choice; allowed: {allowed}."}

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs["allowed"] = allowed_choices(self.choices)
        super().fail(key, **kwargs)


def choice_error_messages(choices) -> dict:
    """`error_messages` for a Django form choice field (django-filter's ChoiceFilter and MultipleChoiceFilter)."""
    allowed = allowed_choices(choices).replace("%", "%%")
    return {"invalid_choice": f"'%(value)s' is not a valid choice; allowed: {allowed}."}


class IdField(serializers.IntegerField):
    """A positive integer id the database can hold."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DB_ID)
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """An object by its id; an id the database cannot hold is a 400 naming the bound."""

    def to_internal_value(self, data):
        return super().to_internal_value(IdField().run_validation(data))


class SlugLookupField(serializers.SlugRelatedField):
    """An object by its slug; text that is no slug is a 400 saying what one is."""

    default_error_messages = {
        "not_a_slug": "'{value}' is not a slug: use only letters, digits, hyphens and underscores.",
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and not slug_re.match(data):
            self.fail("not_a_slug", value=data)
        return super().to_internal_value(data)
