"""Who may do what: roles are Django groups and permissions (SPEC §1)."""

# The group a migration of `questions` creates with the bank's permissions;
# `hiring` adds its own. Members are hiring managers.
HIRING_MANAGERS_GROUP = "hiring_managers"


def is_hiring_manager(user) -> bool:
    """Hiring managers and staff curate questions and see model answers."""
    if not user or not user.is_authenticated:
        return False
    return user.is_staff or user.has_perm("questions.view_model_answer")
