"""An API token's user and role are read once, then served from the shared cache
until something that could change them happens (accounts.token_cache)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import HIRING_MANAGERS_GROUP
from accounts.token_cache import _key
from tests.factories import HiringManagerFactory, QuestionFactory, hiring_manager_permission

pytestmark = pytest.mark.django_db


def detail(question):
    return f"/api/v1/questions/{question.pk}/"


def token_queries(ctx):
    return [q["sql"] for q in ctx.captured_queries if 'FROM "authtoken_token"' in q["sql"]]


def sees_model_answers(client, question) -> bool:
    response = client.get(detail(question))
    assert response.status_code == 200
    return "model_answer" in response.json()


@pytest.fixture
def question(db):
    return QuestionFactory()


@pytest.fixture
def hiring_managers():
    HiringManagerFactory()  # makes sure the group and its permissions exist
    return Group.objects.get(name=HIRING_MANAGERS_GROUP)


class TestCachedTokens:
    def test_a_second_request_does_not_read_the_token(self, candidate_client, question):
        candidate_client.get(detail(question))
        with CaptureQueriesContext(connection) as ctx:
            assert candidate_client.get(detail(question)).status_code == 200
        assert token_queries(ctx) == []

    def test_the_cached_user_is_the_user_without_the_password_hash(self, candidate, candidate_client, question):
        candidate_client.get(detail(question))
        entry = cache.get(_key(candidate.auth_token.key))
        assert entry["user"]["username"] == candidate.username
        assert "password" not in entry["user"]
        assert candidate.password not in repr(entry)

    def test_the_cache_can_be_turned_off(self, settings, candidate_client, question):
        settings.AUTH_TOKEN_CACHE_SECONDS = 0
        candidate_client.get(detail(question))
        with CaptureQueriesContext(connection) as ctx:
            candidate_client.get(detail(question))
        assert len(token_queries(ctx)) == 1

    def test_an_unknown_token_is_refused_and_not_cached(self, question):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
        assert client.get(detail(question)).status_code == 401
        assert cache.get(_key("0" * 40)) is None


class TestChangesReachTheNextRequest:
    def test_a_deleted_token_is_refused(self, candidate, candidate_client, question):
        candidate_client.get(detail(question))
        candidate.auth_token.delete()
        assert candidate_client.get(detail(question)).status_code == 401

    def test_a_deactivated_user_is_refused(self, candidate, candidate_client, question):
        candidate_client.get(detail(question))
        candidate.is_active = False
        candidate.save()
        assert candidate_client.get(detail(question)).status_code == 401

    def test_a_deleted_user_is_refused(self, candidate, candidate_client, question):
        candidate_client.get(detail(question))
        candidate.delete()
        assert candidate_client.get(detail(question)).status_code == 401

    def test_joining_and_leaving_the_hiring_managers(self, candidate, candidate_client, question, hiring_managers):
        assert not sees_model_answers(candidate_client, question)
        candidate.groups.add(hiring_managers)
        assert sees_model_answers(candidate_client, question)
        candidate.groups.remove(hiring_managers)
        assert not sees_model_answers(candidate_client, question)

    def test_added_to_the_group_from_the_groups_side(self, candidate, candidate_client, question, hiring_managers):
        assert not sees_model_answers(candidate_client, question)
        hiring_managers.user_set.add(candidate)
        assert sees_model_answers(candidate_client, question)
        hiring_managers.user_set.clear()
        assert not sees_model_answers(candidate_client, question)

    def test_the_group_losing_the_permission(self, candidate, candidate_client, question, hiring_managers):
        candidate.groups.add(hiring_managers)
        assert sees_model_answers(candidate_client, question)
        hiring_managers.permissions.remove(hiring_manager_permission())
        assert not sees_model_answers(candidate_client, question)

    def test_the_permission_leaving_every_group(self, candidate, candidate_client, question, hiring_managers):
        candidate.groups.add(hiring_managers)
        assert sees_model_answers(candidate_client, question)
        hiring_manager_permission().group_set.clear()
        assert not sees_model_answers(candidate_client, question)

    def test_the_group_deleted(self, candidate, candidate_client, question, hiring_managers):
        candidate.groups.add(hiring_managers)
        assert sees_model_answers(candidate_client, question)
        hiring_managers.delete()
        assert not sees_model_answers(candidate_client, question)

    def test_a_permission_granted_and_revoked_directly(self, candidate, candidate_client, question):
        assert not sees_model_answers(candidate_client, question)
        candidate.user_permissions.add(hiring_manager_permission())
        assert sees_model_answers(candidate_client, question)
        candidate.user_permissions.clear()
        assert not sees_model_answers(candidate_client, question)

    def test_the_permission_deleted(self, candidate, candidate_client, question):
        candidate.user_permissions.add(hiring_manager_permission())
        assert sees_model_answers(candidate_client, question)
        hiring_manager_permission().delete()
        assert not sees_model_answers(candidate_client, question)

    def test_made_staff(self, candidate, candidate_client, question):
        assert not sees_model_answers(candidate_client, question)
        candidate.is_staff = True
        candidate.save()
        assert sees_model_answers(candidate_client, question)

    def test_the_entry_is_forgotten_again_when_the_change_commits(
        self, candidate, candidate_client, question, django_capture_on_commit_callbacks
    ):
        candidate_client.get(detail(question))
        with django_capture_on_commit_callbacks() as callbacks:
            candidate.is_active = False
            candidate.save()
        # A request that read the active user before the commit cached it again...
        cache.set(_key(candidate.auth_token.key), {"stale": True})
        for callback in callbacks:
            callback()  # ...and the commit forgets it.
        assert cache.get(_key(candidate.auth_token.key)) is None


def test_a_hiring_manager_keeps_the_role_from_the_cache(manager_client, question):
    assert sees_model_answers(manager_client, question)
    with CaptureQueriesContext(connection) as ctx:
        assert sees_model_answers(manager_client, question)
    assert token_queries(ctx) == []
