"""Session endpoints: translate HTTP to the session services and back."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from interview_bank.clock import RequestClockMixin
from interview_bank.exceptions import InvalidRequest
from interviews import hooks, selectors, services
from interviews.api.serializers import (
    AnswerSerializer,
    GradeSerializer,
    SessionQuestionSerializer,
    SessionSerializer,
    SessionStartSerializer,
)
from interviews.models import InterviewSession


class SessionViewSet(RequestClockMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A candidate's own timed sessions; anyone else's are 404."""

    serializer_class = SessionSerializer
    filter_backends: list = []
    conflict_codes = ("409",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return InterviewSession.objects.none()
        return selectors.session_list(candidate=self.request.user)

    def get_object(self):
        session = super().get_object()
        # The deadline is the server's: a session read after it is over.
        return services.session_expire_if_overdue(session=session, now=self.now)

    def list(self, request, *args, **kwargs):
        services.sessions_expire_overdue(candidate=request.user, now=self.now)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SessionStartSerializer, responses={201: SessionSerializer})
    def create(self, request):
        data = SessionStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = dict(data.validated_data)
        question_set = params.pop("question_set", None)
        if question_set is not None:
            # Question sets belong to the hiring app, above this one: it plugs in here.
            if not hooks.session_start_from_set.registered:
                raise InvalidRequest("Question sets are not available on this server.", field="question_set")
            session = hooks.session_start_from_set(
                question_set_id=question_set, user=request.user, now=self.now, seed=params.get("seed")
            )
        else:
            session = services.session_start_from_request(candidate=request.user, now=self.now, **params)
        # The new session as it was written, plus its snapshots: no re-read of the session.
        return Response(
            self.get_serializer(selectors.session_with_questions(session)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AnswerSerializer, responses={200: SessionQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        session = super().get_object()  # 404 unless it is the requester's
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.answer_submit(
            session_id=session.pk, candidate=request.user, now=self.now, **data.validated_data
        )
        return Response(SessionQuestionSerializer(item).data)

    @extend_schema(request=GradeSerializer, responses={200: SessionQuestionSerializer})
    @action(detail=True, methods=["post"])
    def grades(self, request, pk=None):
        """Grade an answered position once its model answer and key points are revealed."""
        session = super().get_object()
        data = GradeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.answer_grade(session_id=session.pk, candidate=request.user, now=self.now, **data.validated_data)
        return Response(SessionQuestionSerializer(item).data)

    @extend_schema(request=None, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        session = super().get_object()
        services.session_finish(session_id=session.pk, candidate=request.user, now=self.now)
        return Response(self._out(session.pk))

    def _out(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data
