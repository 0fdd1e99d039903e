"""`?search=` on the question list (SPEC §4, issue 13): full-text search on
PostgreSQL, a plain word search on SQLite (questions.search).

The tests at the top hold on both databases; those marked `postgres` check
what only PostgreSQL's text search does (stemming, phrases, the GIN index)
and are skipped on SQLite.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions import search
from questions.models import Question
from questions.search import MAX_SEARCH_LENGTH, search_questions
from questions.services import question_update
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

LIST = "/api/v1/questions/"

pytestmark = pytest.mark.django_db


def found(client, text, **params):
    response = client.get(LIST, {"search": text, **params})
    assert response.status_code == 200, response.data
    return [item["id"] for item in response.data["results"]]


class TestMatching:
    def test_a_word_is_found_in_the_title_or_the_prompt_whatever_its_case(self, candidate_client):
        in_title = QuestionFactory(title="Isolation levels explained")
        in_prompt = QuestionFactory(prompt="When does a phantom read happen under ISOLATION rules?")
        QuestionFactory(title="Unrelated", prompt="Nothing here.")
        assert found(candidate_client, "isolation") == [in_title.pk, in_prompt.pk]

    def test_every_word_is_required(self, candidate_client):
        both = QuestionFactory(title="Cache stampede", prompt="What happens when a hot key expires?")
        QuestionFactory(title="Cache warming", prompt="How do you fill a cold cache?")
        assert found(candidate_client, "cache expires") == [both.pk]

    def test_a_quoted_phrase_a_minus_word_and_or(self, candidate_client):
        replica = QuestionFactory(title="Read replica lag", prompt="How stale can a read get?")
        primary = QuestionFactory(title="Primary failover", prompt="What happens to writes?")
        QuestionFactory(title="Replica election", prompt="Who reads first?")
        assert found(candidate_client, '"read replica"') == [replica.pk]
        assert found(candidate_client, "replica -election") == [replica.pk]
        assert found(candidate_client, "failover or lag") == [replica.pk, primary.pk]

    def test_a_blank_search_filters_nothing(self, candidate_client):
        questions = QuestionFactory.create_batch(2)
        assert found(candidate_client, "   ") == [q.pk for q in questions]
        assert found(candidate_client, "") == [q.pk for q in questions]

    def test_an_edited_title_is_found_by_its_new_words(self, candidate_client):
        question = QuestionFactory(title="Old wording")
        question_update(question=question, now=timezone.now(), title="Consistent hashing rings")
        assert found(candidate_client, "hashing") == [question.pk]
        assert found(candidate_client, "wording") == []


class TestRanking:
    def test_title_hits_come_before_prompt_only_hits(self, candidate_client):
        prompt_only = QuestionFactory(title="Scaling reads", prompt="Would a sharding scheme help? Why sharding?")
        in_title = QuestionFactory(title="Sharding by tenant", prompt="Pick a key.")
        assert found(candidate_client, "sharding") == [in_title.pk, prompt_only.pk]

    def test_an_explicit_ordering_wins_over_relevance(self, candidate_client):
        prompt_only = QuestionFactory(title="A: scaling reads", prompt="Would sharding help?", expected_minutes=3)
        in_title = QuestionFactory(title="B: sharding by tenant", prompt="Pick a key.", expected_minutes=9)
        assert found(candidate_client, "sharding", ordering="-expected_minutes") == [in_title.pk, prompt_only.pk]
        assert found(candidate_client, "sharding", ordering="title") == [prompt_only.pk, in_title.pk]
        assert found(candidate_client, "sharding", ordering="id") == [prompt_only.pk, in_title.pk]

    def test_an_unknown_ordering_field_leaves_relevance(self, candidate_client):
        prompt_only = QuestionFactory(title="Scaling reads", prompt="Would sharding help?")
        in_title = QuestionFactory(title="Sharding by tenant", prompt="Pick a key.")
        assert found(candidate_client, "sharding", ordering="model_answer") == [in_title.pk, prompt_only.pk]


class TestWithTheRestOfTheList:
    def test_search_combines_with_category_difficulty_and_tag(self, candidate_client):
        databases, caching = CategoryFactory(slug="databases"), CategoryFactory(slug="caching")
        redis = TagFactory(slug="redis")
        wanted = QuestionFactory(title="Eviction policies", category=caching, difficulty="senior", tags=[redis])
        QuestionFactory(title="Eviction of dirty pages", category=databases, difficulty="senior", tags=[redis])
        QuestionFactory(title="Eviction basics", category=caching, difficulty="junior", tags=[redis])
        QuestionFactory(title="Eviction without redis", category=caching, difficulty="senior")
        assert found(candidate_client, "eviction", category="caching", difficulty="senior", tag="redis") == [wanted.pk]

    def test_a_candidate_never_finds_a_draft_or_retired_question(self, candidate_client, manager_client):
        published = QuestionFactory(title="Vacuum and bloat")
        draft = QuestionFactory(title="Vacuum internals", status=Question.Status.DRAFT)
        retired = QuestionFactory(title="Vacuum full", status=Question.Status.RETIRED)
        assert found(candidate_client, "vacuum") == [published.pk]
        assert found(candidate_client, "vacuum", status="draft") == []
        assert sorted(found(manager_client, "vacuum")) == [published.pk, draft.pk, retired.pk]

    def test_counts_and_pages_are_per_search_with_the_read_cache(self, candidate_client):
        locks = [QuestionFactory(title=f"Lock contention {n}") for n in range(3)]
        QuestionFactory(title="Deadlock detection")
        first = candidate_client.get(LIST, {"search": "contention", "page_size": 2})
        assert first.data["count"] == 3 and [q["id"] for q in first.data["results"]] == [q.pk for q in locks[:2]]
        second = candidate_client.get(first.data["next"])
        assert second.data["count"] == 3 and [q["id"] for q in second.data["results"]] == [locks[2].pk]
        other = candidate_client.get(LIST, {"search": "deadlock", "page_size": 2})
        assert other.data["count"] == 1
        assert candidate_client.get(LIST, {"page_size": 2}).data["count"] == 4
        assert first["ETag"] != other["ETag"]

    def test_a_new_matching_question_is_found_and_counted_at_once(self, candidate_client):
        QuestionFactory(title="Idempotency keys")
        assert candidate_client.get(LIST, {"search": "idempotency"}).data["count"] == 1
        QuestionFactory(title="Idempotency in payments")
        from questions.pools import bank_version_bump

        bank_version_bump()  # as every service write does
        assert candidate_client.get(LIST, {"search": "idempotency"}).data["count"] == 2


class TestBadInput:
    def test_a_search_over_the_limit_is_a_400_saying_the_limit(self, candidate_client):
        QuestionFactory()
        response = candidate_client.get(LIST, {"search": "x" * (MAX_SEARCH_LENGTH + 1)})
        assert response.status_code == 400
        assert f"At most {MAX_SEARCH_LENGTH} characters" in response.data["search"][0]
        assert candidate_client.get(LIST, {"search": "x" * MAX_SEARCH_LENGTH}).status_code == 200

    def test_a_null_character_is_a_400(self, candidate_client):
        response = candidate_client.get(LIST, {"search": "index\x00"})
        assert response.status_code == 400
        assert "search" in response.data

    @pytest.mark.parametrize("text", ['"', "-", "-index", "or", '""', "!!! (((", "a & b | c", "'"])
    def test_odd_syntax_is_no_error(self, candidate_client, text):
        QuestionFactory(title="Index types")
        assert candidate_client.get(LIST, {"search": text}).status_code == 200

    def test_the_schema_documents_the_search_parameter_and_its_limit(self, anon_client):
        schema = anon_client.get("/api/schema/", {"format": "json"}).json()
        parameters = {p["name"]: p for p in schema["paths"]["/api/v1/questions/"]["get"]["parameters"]}
        assert parameters["search"]["in"] == "query"
        assert parameters["search"]["schema"] == {"type": "string", "maxLength": MAX_SEARCH_LENGTH}
        assert "phrase" in parameters["search"]["description"]


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's text search (CI runs it)")


@pytest.mark.postgres
@pytest.mark.usefixtures("on_postgresql")
class TestPostgreSQLFullTextSearch:
    def test_words_are_stemmed(self, candidate_client):
        index = QuestionFactory(title="What is an index?")
        indexing = QuestionFactory(prompt="Explain indexing strategies.")
        assert found(candidate_client, "indexes") == [index.pk, indexing.pk]

    def test_a_phrase_needs_its_words_in_order(self, candidate_client):
        in_order = QuestionFactory(title="Read replica lag")
        QuestionFactory(title="Replica read paths")
        assert found(candidate_client, '"read replica"') == [in_order.pk]
        assert len(found(candidate_client, "read replica")) == 2

    def test_stop_words_alone_match_nothing_without_an_error(self, candidate_client):
        QuestionFactory(title="The a of")
        assert found(candidate_client, "the") == []

    def test_more_matches_than_the_rank_limit_are_ordered_by_id_and_counted_exactly(
        self, candidate_client, monkeypatch
    ):
        monkeypatch.setattr(search, "RANK_LIMIT", 2)
        prompt_only = QuestionFactory(title="Scaling", prompt="Would sharding help?")
        in_title = [QuestionFactory(title="Sharding by tenant"), QuestionFactory(title="Sharding by time")]
        response = candidate_client.get(LIST, {"search": "sharding"})
        assert response.data["count"] == 3
        assert [q["id"] for q in response.data["results"]] == [prompt_only.pk] + [q.pk for q in in_title]

    def test_one_count_chooses_the_order_and_counts_the_page(self, candidate_client):
        QuestionFactory.create_batch(3, title="Backpressure in queues")
        with CaptureQueriesContext(connection) as queries:
            response = candidate_client.get(LIST, {"search": "backpressure"})
        assert response.data["count"] == 3
        assert len([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]) == 1

    def test_the_search_uses_the_gin_index(self):
        QuestionFactory.create_batch(3, title="Write-ahead log")
        queryset = search_questions(Question.objects.all(), "log -checkpoint")
        with connection.cursor() as cursor:  # a tiny table: make the planner's choice deterministic
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
        assert "question_search_vector_idx" in plan, plan
        assert "to_tsvector" not in plan, "matches the stored column, never a vector computed per row"

    def test_the_stored_vector_weights_the_title_above_the_prompt(self):
        question = QuestionFactory(title="Bloom filters", prompt="When does a bloom filter lie?")
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_vector::text FROM questions_question WHERE id = %s", [question.pk])
            vector = cursor.fetchone()[0]
        assert "'bloom':1A,6B" in vector and "'lie':8B" in vector  # title words A, prompt words B


def test_sqlite_has_no_search_column_and_still_searches(candidate_client):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite fallback")
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "questions_question")]
    assert search.SEARCH_COLUMN not in columns
    question = QuestionFactory(title="Indexes on expressions")
    assert found(candidate_client, "index") == [question.pk]  # a substring: no stemming, but found


def test_a_lone_exclusion_finds_every_question_without_the_word(candidate_client):
    QuestionFactory(title="Index types")
    other = QuestionFactory(title="Queue depth")
    assert found(candidate_client, "-index") == [other.pk]
