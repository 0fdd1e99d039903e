"""Draw pools are cached per process and rebuilt only when the bank changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions import services
from questions.pools import pool_cache
from tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

KEY = ("databases", "mid")


@pytest.fixture
def databases():
    return CategoryFactory(slug="databases")


def pool_queries(queries):
    # A pool read filters the question table by status; the fetch of the
    # drawn questions filters by id only.
    return [q["sql"] for q in queries if '"questions_question"."status" =' in q["sql"]]


def test_a_warm_pool_is_served_without_reading_the_question_table(databases):
    QuestionFactory.create_batch(3, category=databases)
    pool_cache.get([KEY])
    with CaptureQueriesContext(connection) as queries:
        pool = pool_cache.get([KEY])
    assert len(pool[KEY]) == 3
    assert pool_queries(queries) == []
    assert len(queries) == 1  # the bank version


def test_starting_a_session_reads_no_pool_from_the_table_once_warm(databases, candidate_client):
    QuestionFactory.create_batch(5, category=databases)
    candidate_client.post("/api/v1/sessions/", {"count": 2, "categories": ["databases"]}, format="json")
    with CaptureQueriesContext(connection) as queries:
        response = candidate_client.post("/api/v1/sessions/", {"count": 2, "categories": ["databases"]}, format="json")
    assert response.status_code == 201
    assert pool_queries(queries) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda q: services.question_update(question=q, now=timezone.now(), status="retired"),
        lambda q: services.question_update(question=q, now=timezone.now(), difficulty="senior"),
        lambda q: services.question_delete(question=q, now=timezone.now()),
        lambda q: services.questions_set_status(
            questions=type(q).objects.filter(pk=q.pk), status="draft", now=timezone.now()
        ),
    ],
    ids=["retire", "move-difficulty", "delete", "bulk-unpublish"],
)
def test_changes_to_the_bank_rebuild_the_pool(databases, change):
    kept, changed = QuestionFactory.create_batch(2, category=databases)
    assert list(pool_cache.get([KEY])[KEY]) == [kept.pk, changed.pk]
    change(changed)
    assert list(pool_cache.get([KEY])[KEY]) == [kept.pk]


def test_a_newly_published_question_joins_the_pool(databases, manager_client):
    first = QuestionFactory(category=databases)
    pool_cache.get([KEY])
    draft = QuestionFactory(category=databases, status="draft")
    manager_client.patch(f"/api/v1/questions/{draft.pk}/", {"status": "published"}, format="json")
    assert list(pool_cache.get([KEY])[KEY]) == [first.pk, draft.pk]


def test_admin_bulk_publish_rebuilds_the_pool(databases, client, hiring_manager):
    draft = QuestionFactory(category=databases, status="draft")
    assert list(pool_cache.get([KEY])[KEY]) == []
    client.force_login(hiring_manager)
    client.post("/admin/questions/question/", {"action": "publish", "_selected_action": [draft.pk]})
    assert list(pool_cache.get([KEY])[KEY]) == [draft.pk]
