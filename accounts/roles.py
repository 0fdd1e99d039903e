"""Who may do what: roles are Django groups and permissions (SPEC §1)."""

from questions.models import HIRING_MANAGERS_GROUP


def is_hiring_manager(user) -> bool:
    """Hiring managers and staff curate questions and see model answers."""
    if not user or not user.is_authenticated:
        return False
    return user.is_staff or user.has_perm("questions.view_model_answer")


__all__ = ["HIRING_MANAGERS_GROUP", "is_hiring_manager"]
