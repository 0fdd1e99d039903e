"""Question sets, invitations and results: HTTP in, hiring services out."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring import selectors, services
from hiring.agreement import question_set_agreement
from hiring.api.permissions import IsHiringManager
from hiring.api.serializers import (
    InvitationInputSerializer,
    InvitationPublicSerializer,
    InvitationSerializer,
    QuestionSetInputSerializer,
    QuestionSetSerializer,
    ResultRowSerializer,
    SessionFromSetSerializer,
)
from hiring.csv_export import results_csv, scorecards_csv
from hiring.models import Invitation, QuestionSet
from hiring.scorecards import scorecard_scores
from interview_bank.clock import RequestClockMixin
from interviews.api.serializers import SessionSerializer
from interviews.selectors import session_list


@extend_schema_view(
    create=extend_schema(request=QuestionSetInputSerializer, responses={201: QuestionSetSerializer}),
    partial_update=extend_schema(request=QuestionSetInputSerializer, responses={200: QuestionSetSerializer}),
    update=extend_schema(request=QuestionSetInputSerializer, responses={200: QuestionSetSerializer}),
)
class QuestionSetViewSet(RequestClockMixin, viewsets.ModelViewSet):
    """Hiring managers' sets: their own and shared ones; only the owner may change one (services say so)."""

    serializer_class = QuestionSetSerializer
    permission_classes = [IsHiringManager]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuestionSet.objects.none()
        return selectors.question_set_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = QuestionSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question_set = services.question_set_create(owner=request.user, **data.validated_data)
        return Response(self._out(question_set), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        question_set = self.get_object()
        data = QuestionSetInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        question_set = services.question_set_update(question_set=question_set, user=request.user, **data.validated_data)
        return Response(self._out(question_set))

    def destroy(self, request, *args, **kwargs):
        services.question_set_delete(question_set=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: QuestionSetSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        copy = services.question_set_duplicate(question_set=self.get_object(), owner=request.user)
        return Response(self._out(copy), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: InvitationSerializer(many=True)})
    @extend_schema(methods=["POST"], request=InvitationInputSerializer, responses={201: InvitationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def invitations(self, request, pk=None):
        question_set = self.get_object()
        if request.method == "GET":
            invitations = selectors.invitation_list(user=request.user, question_set=question_set)
            return Response(InvitationSerializer(invitations, many=True, context={"now": self.now}).data)
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, token = services.invitation_create(
            question_set=question_set, created_by=request.user, now=self.now, **data.validated_data
        )
        body = InvitationSerializer(invitation, context={"token": token, "now": self.now}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ResultRowSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def sessions(self, request, pk=None):
        """Each invited candidate's status, answers, key points hit, ratings, times and score."""
        rows = selectors.question_set_results(question_set=self.get_object(), user=request.user, now=self.now)
        return Response(ResultRowSerializer(rows, many=True, context={"now": self.now}).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], url_path="sessions/csv", pagination_class=None)
    def sessions_csv(self, request, pk=None):
        """The same results as CSV: one row per answered question."""
        question_set = self.get_object()
        rows = selectors.question_set_results(question_set=question_set, user=request.user, now=self.now)
        response = HttpResponse(results_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="question-set-{question_set.pk}-results.csv"'
        return response

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], url_path="scorecards/csv", pagination_class=None)
    def scorecards_csv(self, request, pk=None):
        """Every scorecard score of the sessions of this set you may read, as CSV."""
        question_set = self.get_object()
        scores = scorecard_scores(question_set=question_set, user=request.user)
        response = HttpResponse(scorecards_csv(scores), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="question-set-{question_set.pk}-scorecards.csv"'
        return response

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], pagination_class=None)
    def agreement(self, request, pk=None):
        """Krippendorff's alpha (ordinal) between the set's scorers, and each scorer's drift."""
        return Response(question_set_agreement(question_set=self.get_object(), user=request.user))

    @extend_schema(
        request=SessionFromSetSerializer,
        responses={201: SessionSerializer},
        summary="Start a session from this set (try it as a candidate would)",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        question_set = self.get_object()
        data = SessionFromSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_start_from_set(
            question_set=question_set, candidate=request.user, now=self.now, **data.validated_data
        )
        session = session_list(candidate=request.user).get(pk=session.pk)
        return Response(SessionSerializer(session, context={"now": self.now}).data, status=status.HTTP_201_CREATED)

    def _out(self, question_set):
        return self.get_serializer(self.get_queryset().get(pk=question_set.pk)).data


class InvitationRevokeView(RequestClockMixin, APIView):
    permission_classes = [IsHiringManager]

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request, invitation_id):
        try:
            invitation = services.invitation_revoke(invitation_id=invitation_id, user=request.user, now=self.now)
        except Invitation.DoesNotExist as exc:
            raise Http404 from exc
        return Response(InvitationSerializer(invitation, context={"now": self.now}).data)


class InvitationDetailView(RequestClockMixin, APIView):
    """The invited candidate's view of an invitation (log in with the invited email)."""

    @extend_schema(responses={200: InvitationPublicSerializer})
    def get(self, request, token):
        try:
            invitation = services.invitation_for_token(token=token, user=request.user)
        except Invitation.DoesNotExist as exc:
            raise Http404 from exc
        return Response(InvitationPublicSerializer(invitation, context={"now": self.now}).data)


class InvitationAcceptView(RequestClockMixin, APIView):
    conflict_codes = ("409",)

    @extend_schema(request=None, responses={201: SessionSerializer})
    def post(self, request, token):
        try:
            session = services.invitation_accept(token=token, user=request.user, now=self.now)
        except Invitation.DoesNotExist as exc:
            raise Http404 from exc
        session = session_list(candidate=request.user).get(pk=session.pk)
        body = SessionSerializer(session, context={"request": request, "now": self.now}).data
        return Response(body, status=status.HTTP_201_CREATED)
