"""Question writes: revisions and delete-or-retire (questions.services)."""

import pytest
from django.utils import timezone

from questions import services
from questions.models import Question
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"title": "New title"},
        {"prompt": "New prompt?"},
        {"model_answer": "New answer."},
        {"key_points": ["new point"]},
        {"follow_ups": ["new follow-up"]},
    ],
)
def test_content_edits_bump_the_revision(change):
    question = QuestionFactory()
    services.question_update(question=question, now=timezone.now(), **change)
    question.refresh_from_db()
    assert question.revision == 2


@pytest.mark.parametrize("change", [{"status": "retired"}, {"difficulty": "senior"}, {"expected_minutes": 12}])
def test_metadata_edits_keep_the_revision(change):
    question = QuestionFactory()
    services.question_update(question=question, now=timezone.now(), **change)
    question.refresh_from_db()
    assert question.revision == 1


def test_an_edit_to_the_same_value_changes_nothing():
    question = QuestionFactory()
    before = question.updated_at
    services.question_update(question=question, now=timezone.now(), title=question.title, tags=[])
    question.refresh_from_db()
    assert (question.revision, question.updated_at) == (1, before)


def test_tag_changes_move_updated_at_but_not_the_revision():
    question = QuestionFactory()
    before = question.updated_at
    services.question_update(question=question, now=timezone.now(), tags=[TagFactory()])
    question.refresh_from_db()
    assert question.revision == 1 and question.updated_at > before


def test_unknown_fields_are_refused():
    with pytest.raises(TypeError, match="Unknown question fields"):
        services.question_update(question=QuestionFactory(), now=timezone.now(), colour="blue")


def test_keys_are_derived_from_titles_and_stay_unique():
    category = CategoryFactory(slug="caching")
    first = services.question_create(
        now=timezone.now(),
        category=category,
        title="Cache stampede!",
        prompt="p",
        model_answer="a",
        key_points=["k"],
        difficulty="mid",
        expected_minutes=5,
    )
    second = services.question_create(
        now=timezone.now(),
        category=category,
        title="Cache stampede",
        prompt="p",
        model_answer="a",
        key_points=["k"],
        difficulty="mid",
        expected_minutes=5,
    )
    assert (first.key, second.key) == ("caching/cache-stampede", "caching/cache-stampede-2")


def test_bulk_status_change_reports_how_many_changed():
    QuestionFactory.create_batch(2, status="draft")
    QuestionFactory(status="published")
    assert services.questions_set_status(questions=Question.objects.all(), status="published", now=timezone.now()) == 2
    with pytest.raises(ValueError, match="allowed"):
        services.questions_set_status(questions=Question.objects.all(), status="gone", now=timezone.now())
