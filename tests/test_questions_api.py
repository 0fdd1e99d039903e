"""The question bank read and write API (SPEC §4)."""

import pytest
from django.utils import timezone

from questions.models import Question
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

LIST = "/api/v1/questions/"

pytestmark = pytest.mark.django_db


def detail(question):
    return f"{LIST}{question.pk}/"


def ids(response):
    return [item["id"] for item in response.data["results"]]


def test_question_fields_match_the_contract(candidate_client):
    question = QuestionFactory(tags=[TagFactory(slug="rest")], category=CategoryFactory(slug="api-design"))
    data = candidate_client.get(detail(question)).data
    for name in ("id", "title", "prompt", "difficulty", "expected_minutes", "status", "revision"):
        assert data[name] == getattr(question, name)
    assert data["category"] == "api-design"
    assert data["tags"] == ["rest"]


def test_list_is_paginated_with_count_next_previous(candidate_client):
    QuestionFactory.create_batch(3)
    response = candidate_client.get(LIST, {"page_size": 2})
    assert set(response.data) == {"count", "next", "previous", "results"}
    assert response.data["count"] == 3 and len(response.data["results"]) == 2
    assert "page=2" in response.data["next"]


def test_page_size_is_capped(candidate_client, settings):
    QuestionFactory.create_batch(4)
    from questions.api.pagination import PageNumberPagination

    PageNumberPagination.max_page_size, old = 3, PageNumberPagination.max_page_size
    try:
        response = candidate_client.get(LIST, {"page_size": 1000})
    finally:
        PageNumberPagination.max_page_size = old
    assert len(response.data["results"]) == 3


def test_candidates_see_only_published_questions(candidate_client, manager_client):
    published = QuestionFactory()
    draft = QuestionFactory(status=Question.Status.DRAFT)
    retired = QuestionFactory(status=Question.Status.RETIRED)
    assert ids(candidate_client.get(LIST)) == [published.pk]
    assert candidate_client.get(LIST, {"status": "draft"}).data["count"] == 0
    assert candidate_client.get(detail(draft)).status_code == 404
    assert candidate_client.get(detail(retired)).status_code == 404
    assert ids(manager_client.get(LIST)) == [published.pk, draft.pk, retired.pk]
    assert ids(manager_client.get(LIST, {"status": "draft"})) == [draft.pk]


def test_filters_by_category_difficulty_and_tag(candidate_client):
    db_cat, sec_cat = CategoryFactory(slug="databases"), CategoryFactory(slug="security")
    redis = TagFactory(slug="redis")
    a = QuestionFactory(category=db_cat, difficulty="junior", tags=[redis])
    b = QuestionFactory(category=db_cat, difficulty="senior")
    c = QuestionFactory(category=sec_cat, difficulty="junior")
    assert ids(candidate_client.get(LIST, {"category": "databases"})) == [a.pk, b.pk]
    assert ids(candidate_client.get(LIST, {"difficulty": "junior"})) == [a.pk, c.pk]
    assert ids(candidate_client.get(LIST, {"tag": "redis"})) == [a.pk]
    assert ids(candidate_client.get(f"{LIST}?category=databases&category=security&difficulty=junior")) == [
        a.pk,
        c.pk,
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"category": "nope"}, "category"), ({"difficulty": "expert"}, "difficulty"), ({"tag": "nope"}, "tag")],
)
def test_unknown_filter_values_are_rejected_with_the_field_named(candidate_client, params, field):
    QuestionFactory()
    response = candidate_client.get(LIST, params)
    assert response.status_code == 400
    assert field in response.data


def test_search_matches_title_and_prompt(candidate_client):
    a = QuestionFactory(title="Isolation levels explained")
    b = QuestionFactory(prompt="When does a phantom read happen under ISOLATION rules?")
    QuestionFactory(title="Unrelated")
    assert ids(candidate_client.get(LIST, {"search": "isolation"})) == [a.pk, b.pk]


def test_ordering(candidate_client):
    a = QuestionFactory(title="b", expected_minutes=9)
    b = QuestionFactory(title="a", expected_minutes=3)
    assert ids(candidate_client.get(LIST, {"ordering": "title"})) == [b.pk, a.pk]
    assert ids(candidate_client.get(LIST, {"ordering": "-expected_minutes"})) == [a.pk, b.pk]


def test_conditional_get_returns_304_until_the_question_changes(candidate_client, hiring_manager):
    question = QuestionFactory()
    first = candidate_client.get(detail(question))
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert "Authorization" in first["Vary"]
    again = candidate_client.get(detail(question), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    listing = candidate_client.get(LIST)
    assert candidate_client.get(LIST, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304

    from questions.services import question_update

    question_update(question=question, now=timezone.now(), title="A new title")
    assert candidate_client.get(detail(question), HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert candidate_client.get(LIST, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


VALID_BODY = {
    "category": "databases",
    "title": "Explain MVCC",
    "prompt": "How does PostgreSQL let readers and writers not block each other?",
    "model_answer": "Each row version carries xmin/xmax...",
    "key_points": ["row versions", "snapshots", "vacuum"],
    "follow_ups": ["What does VACUUM reclaim?"],
    "difficulty": "senior",
    "expected_minutes": 8,
    "status": "published",
    "tags": ["postgresql"],
}


def test_hiring_manager_creates_a_question(manager_client, hiring_manager):
    CategoryFactory(slug="databases")
    TagFactory(slug="postgresql")
    response = manager_client.post(LIST, VALID_BODY)
    assert response.status_code == 201, response.data
    question = Question.objects.get(pk=response.data["id"])
    assert question.key == "databases/explain-mvcc"
    assert question.author == hiring_manager
    assert question.revision == 1
    assert response.data["model_answer"] == VALID_BODY["model_answer"]
    assert response.data["tags"] == ["postgresql"]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"category": "nope"}, "category", "does not exist"),
        ({"difficulty": "expert"}, "difficulty", "not a valid choice"),
        ({"expected_minutes": 0}, "expected_minutes", "greater than or equal to 1"),
        ({"expected_minutes": "ten"}, "expected_minutes", "valid integer"),
        ({"key_points": []}, "key_points", "at least 1"),
        ({"key_points": "not a list"}, "key_points", "list"),
        ({"title": ""}, "title", "blank"),
        ({"key": "Not A Key"}, "key", "does not match"),
        ({"key": "caching/explain-mvcc"}, "key", "must start with its category: 'databases/...', not 'caching/...'"),
    ],
)
def test_invalid_question_writes_are_400_and_write_nothing(manager_client, change, field, fragment):
    CategoryFactory(slug="databases")
    TagFactory(slug="postgresql")
    response = manager_client.post(LIST, {**VALID_BODY, **change})
    assert response.status_code == 400
    assert fragment in str(response.data[field]).lower()
    assert not Question.objects.exists()


def test_patch_of_content_bumps_revision_but_status_does_not(manager_client):
    question = QuestionFactory(status="draft")
    response = manager_client.patch(detail(question), {"status": "published"})
    assert response.status_code == 200 and response.data["revision"] == 1
    response = manager_client.patch(detail(question), {"key_points": ["a new rubric item"]})
    assert response.data["revision"] == 2
    assert response.data["key_points"] == ["a new rubric item"]


def test_key_cannot_change(manager_client):
    question = QuestionFactory()
    response = manager_client.patch(detail(question), {"key": "databases/other"})
    assert response.status_code == 400
    assert "cannot change" in response.data["key"][0]


def test_delete_of_a_never_asked_question_deletes_it(manager_client):
    question = QuestionFactory()
    assert manager_client.delete(detail(question)).status_code == 204
    assert not Question.objects.filter(pk=question.pk).exists()


def test_categories_list_published_question_counts(candidate_client):
    databases = CategoryFactory(slug="databases", name="Databases", display_order=1)
    CategoryFactory(slug="security", display_order=2)
    QuestionFactory.create_batch(2, category=databases)
    QuestionFactory(category=databases, status="draft")
    data = candidate_client.get("/api/v1/categories/").data
    assert data["count"] == 2
    first = data["results"][0]
    assert first["slug"] == "databases" and first["question_count"] == 2
    assert {"slug", "name", "description", "question_count"} <= set(first)
    assert data["results"][1]["question_count"] == 0


class TestRandom:
    URL = f"{LIST}random/"

    def test_returns_distinct_published_questions_matching_filters(self, candidate_client):
        cat = CategoryFactory(slug="caching")
        pool = QuestionFactory.create_batch(5, category=cat, difficulty="junior")
        QuestionFactory(category=cat, difficulty="senior")
        QuestionFactory(category=cat, difficulty="junior", status="draft")
        response = candidate_client.get(self.URL, {"count": 3, "category": "caching", "difficulty": "junior"})
        assert response.status_code == 200
        drawn = [q["id"] for q in response.data]
        assert len(drawn) == 3 == len(set(drawn))
        assert set(drawn) <= {q.pk for q in pool}

    def test_same_seed_same_questions(self, candidate_client):
        QuestionFactory.create_batch(20)
        first = candidate_client.get(self.URL, {"count": 5, "seed": 42}).data
        second = candidate_client.get(self.URL, {"count": 5, "seed": 42}).data
        assert [q["id"] for q in first] == [q["id"] for q in second]

    def test_every_question_can_be_drawn(self, candidate_client):
        pool = {q.pk for q in QuestionFactory.create_batch(4)}
        seen = {candidate_client.get(self.URL, {"seed": seed}).data[0]["id"] for seed in range(60)}
        assert seen == pool

    def test_returns_fewer_when_the_pool_is_small(self, candidate_client):
        QuestionFactory.create_batch(2)
        assert len(candidate_client.get(self.URL, {"count": 10}).data) == 2

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"count": 0}, "count"),
            ({"count": 51}, "count"),
            ({"count": "x"}, "count"),
            ({"category": "nope"}, "category"),
            ({"difficulty": "hard"}, "difficulty"),
        ],
    )
    def test_bad_parameters_are_400(self, candidate_client, params, field):
        response = candidate_client.get(self.URL, params)
        assert response.status_code == 400
        assert field in response.data

    @pytest.mark.parametrize("field", ["category", "tag"])
    def test_a_slug_with_a_nul_byte_is_a_400_saying_what_a_slug_is(self, candidate_client, field):
        # PostgreSQL cannot hold a NUL in text: looked up as it is, it was a 500.
        response = candidate_client.get(self.URL, {field: "data\x00bases"})
        assert response.status_code == 400
        assert "is not a slug: use only letters, digits, hyphens and underscores" in str(response.data[field])
