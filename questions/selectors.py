"""Reads of the question bank: what each user may see, and draw pools."""

from django.db.models import Count, Q, QuerySet

from accounts.roles import is_hiring_manager
from questions.bank import FORMAT
from questions.models import Category, Question, Tag


def question_list(*, user) -> QuerySet[Question]:
    """Questions `user` may read: all for hiring managers, published for the rest."""
    questions = Question.objects.select_related("category").prefetch_related("tags")
    if is_hiring_manager(user):
        return questions
    return questions.filter(status=Question.Status.PUBLISHED)


def category_list() -> QuerySet[Category]:
    """Categories with the number of published questions in each."""
    return Category.objects.annotate(
        question_count=Count("questions", filter=Q(questions__status=Question.Status.PUBLISHED))
    ).order_by("display_order", "slug")


def published_question_ids(
    *,
    categories: list[str] | None = None,
    difficulties: list[str] | None = None,
    tags: list[str] | None = None,
) -> list[int]:
    """Ids of published questions matching every given filter (any value within one).

    Reads ids only, from the (status, category, difficulty) index.
    """
    questions = Question.objects.filter(status=Question.Status.PUBLISHED)
    if categories:
        questions = questions.filter(category__slug__in=categories)
    if difficulties:
        questions = questions.filter(difficulty__in=difficulties)
    if tags:
        questions = questions.filter(tags__slug__in=tags)
    return sorted(set(questions.values_list("id", flat=True)))


def bank_export() -> dict:
    """The whole bank in the import format (questions.bank), in a stable order."""
    questions = Question.objects.select_related("category").prefetch_related("tags").order_by("key")
    return {
        "format": FORMAT,
        "categories": [
            {"slug": c.slug, "name": c.name, "description": c.description, "display_order": c.display_order}
            for c in Category.objects.order_by("display_order", "slug")
        ],
        "tags": [{"slug": t.slug, "name": t.name} for t in Tag.objects.order_by("slug")],
        "questions": [
            {
                "key": q.key,
                "category": q.category.slug,
                "title": q.title,
                "difficulty": q.difficulty,
                "expected_minutes": q.expected_minutes,
                "status": q.status,
                "tags": sorted(t.slug for t in q.tags.all()),
                "prompt": q.prompt,
                "model_answer": q.model_answer,
                "key_points": list(q.key_points),
                "follow_ups": list(q.follow_ups),
            }
            for q in questions
        ],
    }
