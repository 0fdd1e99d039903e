"""Bank reads whose cost does not grow with the bank (issue 13, STYLE "hot read paths").

Lists, candidate details and categories are served from a cache keyed by
the bank version, who is asking and the normalised request; the ETag comes
from that key; counts are kept per version and filter; `random` draws from
the pools; the role is read with the token.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import is_hiring_manager
from questions.api import rows
from questions.api.caching import read_cache
from questions.api.serializers import CandidateQuestionSerializer, QuestionSerializer
from questions.models import BankVersion, Question
from questions.pools import bank_version, bank_version_bump, pool_cache, tag_pool_cache
from questions.services import question_update
from tests.factories import CategoryFactory, QuestionFactory, TagFactory, UserFactory, hiring_manager_permission

LIST = "/api/v1/questions/"
CATEGORIES = "/api/v1/categories/"

pytestmark = pytest.mark.django_db

# What a cached read still costs: the bank version (the token was read by an
# earlier request and is in the token cache).
AUTH_AND_VERSION = 1


def detail(question):
    return f"{LIST}{question.pk}/"


def sql_of(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def reads_bank(ctx) -> bool:
    """Did any query read questions, categories or tags (not just the version)?"""
    return any(
        table in sql
        for sql in sql_of(ctx)
        for table in ('"questions_question"', '"questions_category"', "questions_tag")
    )


@pytest.fixture
def published(db):
    databases = CategoryFactory(slug="databases")
    return QuestionFactory.create_batch(3, category=databases, difficulty="senior")


class TestListsAreCachedPerBankVersion:
    @pytest.mark.parametrize(
        "url",
        [LIST, f"{LIST}?category=databases&difficulty=senior", f"{LIST}?page_size=2&page=2", CATEGORIES],
    )
    def test_a_repeated_read_reads_nothing_of_the_bank(self, candidate_client, published, url):
        first = candidate_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            again = candidate_client.get(url)
        assert again.status_code == 200
        assert again.content == first.content
        assert len(ctx) == AUTH_AND_VERSION and not reads_bank(ctx)

    def test_a_candidates_detail_is_cached_too(self, candidate_client, published):
        first = candidate_client.get(detail(published[0]))
        with CaptureQueriesContext(connection) as ctx:
            again = candidate_client.get(detail(published[0]))
        assert again.content == first.content and again["Last-Modified"] == first["Last-Modified"]
        assert not reads_bank(ctx)

    def test_another_process_reuses_the_shared_entry(self, candidate_client, published):
        first = candidate_client.get(LIST)
        read_cache.clear()  # this process's copies gone, as in a second web process
        with CaptureQueriesContext(connection) as ctx:
            again = candidate_client.get(LIST)
        assert again.content == first.content and not reads_bank(ctx)

    def test_an_edit_through_the_api_is_served_at_once(self, candidate_client, manager_client, published):
        question = published[0]
        assert candidate_client.get(LIST).data["results"][0]["title"] == question.title
        candidate_client.get(detail(question))
        assert manager_client.patch(detail(question), {"title": "Edited title"}).status_code == 200
        assert candidate_client.get(LIST).data["results"][0]["title"] == "Edited title"
        assert candidate_client.get(detail(question)).data["title"] == "Edited title"

    def test_publishing_and_retiring_change_the_counts(self, candidate_client, published):
        assert candidate_client.get(LIST).data["count"] == 3
        assert candidate_client.get(CATEGORIES).data["results"][0]["question_count"] == 3
        question_update(question=published[0], now=timezone.now(), status=Question.Status.RETIRED)
        assert candidate_client.get(LIST).data["count"] == 2
        assert candidate_client.get(CATEGORIES).data["results"][0]["question_count"] == 2

    def test_admin_edits_of_tags_categories_and_deletes_are_served_at_once(self, admin_client, candidate_client):
        tag = TagFactory(slug="old-tag")
        question = QuestionFactory(tags=[tag])
        assert candidate_client.get(detail(question)).data["tags"] == ["old-tag"]
        response = admin_client.post(f"/admin/questions/tag/{tag.pk}/change/", {"slug": "new-tag", "name": "New"})
        assert response.status_code == 302
        assert candidate_client.get(detail(question)).data["tags"] == ["new-tag"]
        category = question.category
        response = admin_client.post(
            f"/admin/questions/category/{category.pk}/change/",
            {"slug": "renamed", "name": "Renamed", "description": "", "display_order": 0},
        )
        assert response.status_code == 302
        assert candidate_client.get(LIST).data["results"][0]["category"] == "renamed"
        assert candidate_client.get(CATEGORIES).data["results"][0]["slug"] == "renamed"
        response = admin_client.post(f"/admin/questions/question/{question.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert candidate_client.get(LIST).data["count"] == 0
        assert candidate_client.get(detail(question)).status_code == 404

    def test_candidates_never_get_a_hiring_managers_cached_page(self, candidate_client, manager_client, published):
        QuestionFactory(status=Question.Status.DRAFT)
        managers = manager_client.get(LIST)
        assert managers.data["count"] == 4 and "model_answer" in managers.data["results"][0]
        candidates = candidate_client.get(LIST)
        assert candidates.data["count"] == 3
        assert all("model_answer" not in item and "key_points" not in item for item in candidates.data["results"])
        assert candidates["ETag"] != managers["ETag"]

    def test_parameter_order_does_not_make_a_new_entry(self, candidate_client, published):
        one = candidate_client.get(f"{LIST}?category=databases&difficulty=senior")
        with CaptureQueriesContext(connection) as ctx:
            other = candidate_client.get(f"{LIST}?difficulty=senior&category=databases")
        assert other["ETag"] == one["ETag"] and not reads_bank(ctx)

    def test_bad_filters_are_400_every_time(self, candidate_client, published):
        for _ in range(2):
            response = candidate_client.get(LIST, {"difficulty": "expert"})
            assert response.status_code == 400 and "difficulty" in response.data

    def test_the_browsable_api_is_rendered_not_cached(self, candidate_client, published):
        response = candidate_client.get(LIST, HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert candidate_client.get(LIST)["Content-Type"] == "application/json"


class TestRevalidation:
    def test_a_matching_etag_is_304_before_anything_is_read_or_rendered(self, candidate_client, published):
        etag = candidate_client.get(LIST)["ETag"]
        read_cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = candidate_client.get(LIST, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response["ETag"] == etag and response.content == b""
        assert len(ctx) == AUTH_AND_VERSION and not reads_bank(ctx)

    def test_the_etag_names_the_bank_version(self, candidate_client, published):
        etag = candidate_client.get(LIST)["ETag"]
        assert etag.startswith(f'"bank-{bank_version()}-questions-')

    def test_any_change_to_the_bank_makes_the_old_etag_stale(self, candidate_client, published):
        etag = candidate_client.get(CATEGORIES)["ETag"]
        QuestionFactory()  # made directly: nothing moved the version
        assert candidate_client.get(CATEGORIES, HTTP_IF_NONE_MATCH=etag).status_code == 304
        question_update(question=published[0], now=timezone.now(), prompt="A changed prompt")
        response = candidate_client.get(CATEGORIES, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200 and response["ETag"] != etag


class TestCounts:
    def test_paging_through_a_result_counts_it_once(self, candidate_client, published):
        candidate_client.get(LIST, {"category": "databases", "page_size": 1})
        with CaptureQueriesContext(connection) as ctx:
            response = candidate_client.get(LIST, {"category": "databases", "page_size": 1, "page": 2})
        assert response.data["count"] == 3
        assert not any("COUNT(" in sql.upper() for sql in sql_of(ctx))

    def test_a_different_filter_is_counted_for_itself(self, candidate_client, published):
        QuestionFactory(difficulty="junior")
        assert candidate_client.get(LIST, {"difficulty": "senior"}).data["count"] == 3
        assert candidate_client.get(LIST, {"difficulty": "junior"}).data["count"] == 1

    def test_a_tag_filter_lists_each_question_once_without_distinct(self, candidate_client):
        a, b = TagFactory(slug="a"), TagFactory(slug="b")
        question = QuestionFactory(tags=[a, b])
        with CaptureQueriesContext(connection) as ctx:
            response = candidate_client.get(f"{LIST}?tag=a&tag=b")
        assert [item["id"] for item in response.data["results"]] == [question.pk]
        assert response.data["count"] == 1
        assert not any("DISTINCT" in sql for sql in sql_of(ctx))


class TestRandomDrawsFromThePools:
    def test_a_draw_reads_only_the_questions_drawn(self, candidate_client):
        category = CategoryFactory(slug="databases")
        QuestionFactory.create_batch(30, category=category)
        candidate_client.get(f"{LIST}random/", {"count": 5})
        with CaptureQueriesContext(connection) as ctx:
            response = candidate_client.get(f"{LIST}random/", {"count": 5})
        assert len(response.data) == 5
        id_reads = [sql for sql in sql_of(ctx) if 'FROM "questions_question"' in sql]
        assert len(id_reads) == 1 and " IN (" in id_reads[0]  # the five rows, by id

    def test_a_warm_draw_reads_the_version_once_and_no_categories(self, candidate_client):
        QuestionFactory.create_batch(10)
        candidate_client.get(f"{LIST}random/", {"count": 5})
        with CaptureQueriesContext(connection) as ctx:
            candidate_client.get(f"{LIST}random/", {"count": 5})
        assert sum("questions_bankversion" in sql for sql in sql_of(ctx)) == 1
        assert not any('FROM "questions_category"' in sql for sql in sql_of(ctx))
        assert len(ctx) == 3  # the version, the five rows, their tags

    def test_a_new_category_reaches_the_next_draw(self, candidate_client):
        QuestionFactory()
        candidate_client.get(f"{LIST}random/", {"count": 5})
        fresh = QuestionFactory(category=CategoryFactory(slug="brand-new"))
        bank_version_bump()  # what the admin and the services do with a change
        assert fresh.pk in {item["id"] for item in candidate_client.get(f"{LIST}random/", {"count": 5}).data}

    def test_a_tag_filter_is_read_once_per_bank_version(self, candidate_client):
        tag = TagFactory(slug="indexing")
        tagged = QuestionFactory.create_batch(4, tags=[tag])
        QuestionFactory.create_batch(4)
        candidate_client.get(f"{LIST}random/", {"count": 4, "tag": "indexing"})
        with CaptureQueriesContext(connection) as ctx:
            response = candidate_client.get(f"{LIST}random/", {"count": 4, "tag": "indexing"})
        assert {item["id"] for item in response.data} == {q.pk for q in tagged}
        assert not any("questions_question_tags" in sql and " IN (" not in sql for sql in sql_of(ctx))

    def test_a_published_change_reaches_the_next_draw(self, candidate_client):
        question = QuestionFactory()
        assert [item["id"] for item in candidate_client.get(f"{LIST}random/", {"count": 5}).data] == [question.pk]
        question_update(question=question, now=timezone.now(), status=Question.Status.RETIRED)
        assert candidate_client.get(f"{LIST}random/", {"count": 5}).data == []

    def test_pools_are_kept_per_process(self, candidate_client):
        QuestionFactory.create_batch(3, tags=[TagFactory(slug="t")])
        pool_cache.clear()
        tag_pool_cache.clear()
        candidate_client.get(f"{LIST}random/", {"count": 2})
        candidate_client.get(f"{LIST}random/", {"count": 2, "tag": "t"})
        assert pool_cache._pools and tag_pool_cache._pools


class TestOneRoleLookupPerRequest:
    def test_a_token_request_reads_the_role_with_the_token(self, candidate_client, manager_client, published):
        for client in (candidate_client, manager_client):
            with CaptureQueriesContext(connection) as ctx:
                client.get(f"{LIST}random/", {"count": 1})
            assert not any("auth_permission" in sql and "authtoken_token" not in sql for sql in sql_of(ctx))

    def test_the_token_query_tells_hiring_managers_from_candidates(self, candidate_client, manager_client, published):
        QuestionFactory(status=Question.Status.DRAFT)
        assert manager_client.get(LIST).data["count"] == 4
        assert candidate_client.get(LIST).data["count"] == 3

    def test_a_permission_granted_directly_makes_a_hiring_manager(self, api_client_for):
        user = UserFactory()
        user.user_permissions.add(hiring_manager_permission())
        question = QuestionFactory()
        assert "model_answer" in api_client_for(user).get(detail(question)).data

    def test_an_inactive_users_token_is_refused(self, api_client_for):
        user = UserFactory(is_active=False)
        assert api_client_for(user).get(LIST).status_code == 401

    def test_the_role_is_looked_up_once_per_user_object(self, hiring_manager, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert is_hiring_manager(hiring_manager)
            assert is_hiring_manager(hiring_manager)


def test_candidates_are_served_by_a_serializer_without_rubric_fields():
    assert not set(CandidateQuestionSerializer.Meta.fields) & set(QuestionSerializer.REVEALED_FIELDS)
    assert set(CandidateQuestionSerializer().fields) == set(QuestionSerializer.Meta.read_only_fields)


def test_a_recreated_bank_version_does_not_restart_from_zero(db):
    BankVersion.objects.all().delete()
    assert bank_version() > 2**20  # random start: keys cached before a flush are not met again


def test_a_new_database_starts_the_bank_version_at_random_not_zero(db):
    """What the migration makes: versions of a new database do not meet an older one's keys in Redis."""
    BankVersion.objects.all().delete()
    create_row = importlib.import_module("questions.migrations.0004_bank_version_row").create_row
    create_row(django_apps, None)
    first = BankVersion.objects.get(pk=1).value
    BankVersion.objects.all().delete()
    create_row(django_apps, None)
    assert first > 2**20 and BankVersion.objects.get(pk=1).value not in (0, first)


class TestCandidateRows:
    """Candidates' lists and draws are built from `.values()` rows: the same output as the serializer."""

    def test_rows_equal_the_candidate_serializers_output(self):
        tags = [TagFactory(slug="b-tag"), TagFactory(slug="a-tag")]
        questions = [QuestionFactory(tags=tags), QuestionFactory(tags=[]), QuestionFactory(tags=tags[:1])]
        queryset = Question.objects.filter(pk__in=[q.pk for q in questions]).order_by("id")
        expected = CandidateQuestionSerializer(queryset.select_related("category").prefetch_related("tags"), many=True)
        assert rows.candidate_rows(rows.candidate_values(queryset)) == expected.data
        assert [list(row) for row in rows.candidate_rows(rows.candidate_values(queryset))] == [
            list(item) for item in expected.data
        ]

    def test_a_candidates_page_and_draw_carry_the_same_fields_as_the_detail(self, candidate_client, published):
        detail_fields = list(candidate_client.get(detail(published[0])).data)
        assert list(candidate_client.get(LIST).data["results"][0]) == detail_fields
        assert list(candidate_client.get(f"{LIST}random/", {"count": 1}).data[0]) == detail_fields

    def test_search_and_ordering_apply_to_rows(self, candidate_client):
        a = QuestionFactory(title="Alpha index", expected_minutes=9)
        b = QuestionFactory(title="Beta index", expected_minutes=3)
        QuestionFactory(title="Gamma")
        response = candidate_client.get(LIST, {"search": "index", "ordering": "expected_minutes"})
        assert [item["id"] for item in response.data["results"]] == [b.pk, a.pk]
