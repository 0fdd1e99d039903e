"""Query-string filters for the question list (django-filter)."""

import django_filters
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
            field_name="tags__slug",
            to_field_name="slug",
            queryset=Tag.objects.all(),
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
