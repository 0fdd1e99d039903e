"""Query-string filters for the question list: django-filter fields, and the text search."""

import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from interview_bank.fields import choice_error_messages
from questions.api.pagination import CountCachedPaginator
from questions.models import Category, Question, Tag
from questions.search import MAX_SEARCH_LENGTH, search_questions


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


class QuestionSearchFilter(BaseFilterBackend):
    """`?search=`: full-text search (questions.search), best matches first unless
    an explicit `?ordering=` says otherwise.

    It runs after OrderingFilter, so it can tell an explicit ordering (kept) from
    the view's default (replaced by relevance).
    """

    search_param = "search"
    description = (
        "Words to find in the title or prompt, all required; web-search syntax: "
        '"a phrase", -word to exclude, `or` between alternatives. At most '
        f"{MAX_SEARCH_LENGTH} characters. Best matches first unless `ordering` is given."
    )

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(self.search_param, "")
        if len(text) > MAX_SEARCH_LENGTH:
            raise ValidationError(
                {self.search_param: [f"At most {MAX_SEARCH_LENGTH} characters; this search has {len(text)}."]}
            )
        if "\x00" in text:
            raise ValidationError({self.search_param: ["Null characters are not allowed."]})
        ranked = not self._explicit_ordering(request, queryset, view)
        return search_questions(queryset, text, ranked=ranked, count=self._cached_count(request, view))

    @staticmethod
    def _cached_count(request, view):
        """Count matches through the cache the list's pagination reads (one count for both), if it has one."""
        key = view.count_cache_key(request) if hasattr(view, "count_cache_key") else None
        if key is None:
            return None
        return lambda matches: CountCachedPaginator(matches, 1, count_key=key).count

    @staticmethod
    def _explicit_ordering(request, queryset, view) -> bool:
        ordering = OrderingFilter()
        asked = request.query_params.get(ordering.ordering_param)
        if not asked:
            return False
        terms = [term.strip() for term in asked.split(",")]
        return bool(ordering.remove_invalid_fields(queryset, terms, view, request))

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": self.description,
                "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
            }
        ]
