"""API permissions for the question bank."""

from rest_framework.permissions import DjangoModelPermissions


class QuestionBankPermissions(DjangoModelPermissions):
    """Any signed-in user reads; writes need the model's add/change/delete permission,
    which the hiring_managers group holds."""

    authenticated_users_only = True
