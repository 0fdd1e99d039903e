"""Question bank endpoints: thin translations between HTTP and selectors/services."""

import random

from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from accounts.roles import is_hiring_manager
from interview_bank.clock import RequestClockMixin
from questions import hooks, selectors, services
from questions.api import rows
from questions.api.caching import BankReadsMixin
from questions.api.filters import QuestionFilter, QuestionSearchFilter
from questions.api.permissions import QuestionBankPermissions
from questions.api.serializers import (
    CandidateQuestionSerializer,
    CategorySerializer,
    QuestionSerializer,
    QuestionWriteSerializer,
    RandomQuestionsQuerySerializer,
)
from questions.models import Question
from questions.quotas import quota_for_filters
from questions.sampling import PoolUnion, draw_uniform


class CategoryViewSet(BankReadsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CategorySerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.category_list()

    def list(self, request, *args, **kwargs):
        return self.cached_read(request, "categories", lambda: super(CategoryViewSet, self).list(request))


@extend_schema_view(
    list=extend_schema(summary="List questions (published only, for candidates)"),
    retrieve=extend_schema(summary="One question"),
    create=extend_schema(request=QuestionWriteSerializer, responses={201: QuestionSerializer}),
    update=extend_schema(request=QuestionWriteSerializer, responses={200: QuestionSerializer}),
    partial_update=extend_schema(request=QuestionWriteSerializer, responses={200: QuestionSerializer}),
    destroy=extend_schema(
        responses={
            204: OpenApiResponse(description="Deleted."),
            200: OpenApiResponse(QuestionSerializer, description="It was asked before, so it was retired."),
        }
    ),
)
class QuestionViewSet(RequestClockMixin, BankReadsMixin, viewsets.ModelViewSet):
    permission_classes = [QuestionBankPermissions]
    serializer_class = QuestionSerializer
    # Search last: it tells an explicit ?ordering= (kept) from the default (relevance instead).
    filter_backends = [DjangoFilterBackend, OrderingFilter, QuestionSearchFilter]
    filterset_class = QuestionFilter
    ordering_fields = ["id", "title", "difficulty", "expected_minutes", "created_at", "updated_at"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.question_list(user=self.request.user)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or is_hiring_manager(self.request.user):
            return QuestionSerializer  # the schema documents the hiring managers' superset
        return CandidateQuestionSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reveal": is_hiring_manager(self.request.user)}

    def list(self, request, *args, **kwargs):
        return self.cached_read(request, "questions", self._list)

    def _list(self):
        if is_hiring_manager(self.request.user):
            return super().list(self.request)
        # Candidates: plain rows, the serializer's output without its per-field cost.
        page = self.paginate_queryset(rows.candidate_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(rows.candidate_rows(page))

    def retrieve(self, request, *args, **kwargs):
        if is_hiring_manager(request.user) and hooks.question_stats.registered:
            return self._retrieve()  # with how candidates fared, which moves without the bank
        return self.cached_read(request, "question", self._retrieve, extra=[kwargs[self.lookup_field]])

    def _retrieve(self):
        question = self.get_object()
        context = self.get_serializer_context()
        if context["reveal"] and hooks.question_stats.registered:
            # How candidates fared is the hiring app's to say (it sits above the bank).
            context["stats"] = hooks.question_stats(question_ids=[question.pk])
        response = Response(self.get_serializer_class()(question, context=context).data)
        response["Last-Modified"] = http_date(question.updated_at.timestamp())
        return response

    def create(self, request, *args, **kwargs):
        data = QuestionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_create(author=request.user, now=self.now, **data.validated_data)
        return Response(self._out(question), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        question = self.get_object()
        data = QuestionWriteSerializer(question, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.pop("key", None)
        question = services.question_update(question=question, now=self.now, **changes)
        return Response(self._out(question))

    def destroy(self, request, *args, **kwargs):
        retired = services.question_delete(question=self.get_object(), now=self.now)
        if retired is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self._out(retired))

    @extend_schema(
        summary="Random published questions (no session)",
        parameters=[RandomQuestionsQuerySerializer],
        responses={200: QuestionSerializer(many=True)},
        description="Up to `count` distinct published questions drawn uniformly from those "
        "matching the filters; fewer when fewer match. Drawn from the cached pools, so the cost "
        "does not grow with the bank.",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def random(self, request):
        query = RandomQuestionsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        quota = quota_for_filters(
            count=params["count"],
            categories=[params["category"].slug] if "category" in params else None,
            difficulties=[params["difficulty"]] if "difficulty" in params else None,
            tags=[params["tag"].slug] if "tag" in params else None,
        )
        rng = random.Random(params.get("seed"))  # noqa: S311 - a draw, not a secret
        drawn = draw_uniform(PoolUnion(quota.pools), quota.count, rng)
        questions = Question.objects.filter(pk__in=drawn)
        if is_hiring_manager(request.user):
            by_id = questions.select_related("category").prefetch_related("tags").in_bulk()
            return Response(self.get_serializer([by_id[i] for i in drawn], many=True).data)
        by_id = {row["id"]: row for row in rows.candidate_rows(rows.candidate_values(questions))}
        return Response([by_id[i] for i in drawn])

    def _out(self, question):
        question = selectors.question_list(user=self.request.user).get(pk=question.pk)
        return self.get_serializer(question).data
