"""The admin where hiring managers curate questions."""

import pytest

from questions.models import Question
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/questions/question/"


@pytest.fixture
def admin_browser(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


def test_hiring_manager_can_filter_and_search_the_question_list(admin_browser):
    QuestionFactory(title="Isolation levels", difficulty="senior", tags=[TagFactory(slug="sql")])
    QuestionFactory(title="Status codes", difficulty="junior")
    response = admin_browser.get(CHANGELIST, {"difficulty__exact": "senior", "q": "isolation"})
    assert response.status_code == 200
    assert "Isolation levels" in response.text and "Status codes" not in response.text
    for facet in ("By status", "By difficulty", "By category", "By tags"):
        assert facet in response.text
    assert admin_browser.get(CHANGELIST, {"tags__id__exact": Question.objects.first().tags.get().pk}).status_code == 200


def test_bulk_publish_and_retire_actions(admin_browser):
    drafts = QuestionFactory.create_batch(2, status="draft")
    ids = [q.pk for q in drafts]
    admin_browser.post(CHANGELIST, {"action": "publish", "_selected_action": ids})
    assert set(Question.objects.values_list("status", flat=True)) == {"published"}
    admin_browser.post(CHANGELIST, {"action": "retire", "_selected_action": ids})
    assert set(Question.objects.values_list("status", flat=True)) == {"retired"}


def test_key_points_are_edited_one_per_line_and_bump_the_revision(admin_browser):
    question = QuestionFactory()
    url = f"{CHANGELIST}{question.pk}/change/"
    form = admin_browser.get(url)
    assert "SECRET-KEY-POINT" in form.text  # shown one per line in a textarea
    response = admin_browser.post(
        url,
        {
            "title": question.title,
            "category": question.category.pk,
            "difficulty": question.difficulty,
            "expected_minutes": question.expected_minutes,
            "status": question.status,
            "prompt": question.prompt,
            "model_answer": question.model_answer,
            "key_points": "first point\n\n  second point  \n",
            "follow_ups": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.key_points == ["first point", "second point"]
    assert question.follow_ups == []
    assert question.revision == 2


def test_candidates_cannot_enter_the_admin(client, candidate):
    client.force_login(candidate)
    assert client.get(CHANGELIST).status_code == 302


def _new_question_form(category, **overrides):
    return {
        "key": f"{category.slug}/cache-stampede",
        "title": "Cache stampede",
        "category": category.pk,
        "difficulty": "mid",
        "expected_minutes": 5,
        "status": "draft",
        "prompt": "What is a cache stampede?",
        "model_answer": "Many misses at once...",
        "key_points": "locking\nearly refresh",
        "follow_ups": "",
        **overrides,
    }


def test_a_new_questions_key_must_start_with_its_category(admin_browser):
    caching = CategoryFactory(slug="caching")
    response = admin_browser.post(f"{CHANGELIST}add/", _new_question_form(caching, key="databases/cache-stampede"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["key"] == [
        "The key must start with its category: 'caching/...', not 'databases/...'."
    ]
    assert not Question.objects.exists()
    response = admin_browser.post(f"{CHANGELIST}add/", _new_question_form(caching))
    assert response.status_code == 302 and Question.objects.get().key == "caching/cache-stampede"


def test_a_question_moved_to_another_category_keeps_its_key(admin_browser):
    question = QuestionFactory(category=CategoryFactory(slug="databases"), key="databases/moved")
    caching = CategoryFactory(slug="caching")
    form = {
        **_new_question_form(caching),
        "title": question.title,
        "prompt": question.prompt,
        "model_answer": question.model_answer,
    }
    del form["key"]
    response = admin_browser.post(f"{CHANGELIST}{question.pk}/change/", {**form, "key_points": "a\nb"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    question.refresh_from_db()
    assert (question.key, question.category) == ("databases/moved", caching)


def test_a_new_questions_key_must_have_the_key_format(admin_browser):
    caching = CategoryFactory(slug="caching")
    response = admin_browser.post(f"{CHANGELIST}add/", _new_question_form(caching, key="caching/Cache Stampede"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["key"] == [
        "A key is '<category-slug>/<kebab-case-slug>', e.g. 'databases/isolation-levels'."
    ]
    assert not Question.objects.exists()
