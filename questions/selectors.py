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
