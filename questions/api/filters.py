"""Query-string filters for the question list (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from interview_bank.fields import choice_error_messages
from questions.models import Category, Question, Tag


class QuestionFilter(django_filters.FilterSet):
    category = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelMultipleChoiceFilter(
            field_name="category__slug",
            to_field_name="slug",
            queryset=Category.objects.all(),
            distinct=False,  # a question has one category: no duplicate rows to remove
            help_text="Category slug; repeat the parameter to allow several.",
        )
    )
    difficulty = django_filters.MultipleChoiceFilter(
        choices=Question.Difficulty.choices,
        error_messages=choice_error_messages(Question.Difficulty.choices),
        help_text="junior, mid or senior; repeatable.",
    )
    tag = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelMultipleChoiceFilter(
            to_field_name="slug",
            queryset=Tag.objects.all(),
            method="filter_tags",
            help_text="Tag slug; repeat to match questions having any of them.",
        )
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Question.Status.choices,
        error_messages=choice_error_messages(Question.Status.choices),
        help_text="draft, published or retired; candidates only ever see published questions.",
    )

    class Meta:
        model = Question
        fields = ["category", "difficulty", "tag", "status"]

    def filter_tags(self, queryset, name, tags):
        """Questions having any of the tags, as a semi-join: a join would repeat a
        question once per matching tag, and removing those with DISTINCT sorts the whole result."""
        if not tags:
            return queryset
        tagged = Question.tags.through.objects.filter(question_id=OuterRef("pk"), tag__in=tags)
        return queryset.filter(Exists(tagged))
