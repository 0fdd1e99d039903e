"""Scorecards of a session (SPEC §10): submit yours, then read everyone's."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api.permissions import IsHiringManager
from hiring.api.serializers import ScorecardInputSerializer, ScorecardSerializer
from hiring.scorecards import scorecard_list, scorecard_submit
from interview_bank.clock import RequestClockMixin
from interviews.models import InterviewSession


class SessionScorecardsView(RequestClockMixin, APIView):
    permission_classes = [IsHiringManager]
    conflict_codes = ("409",)

    def permission_denied(self, request, message=None, code=None):
        # A candidate must not learn the session exists: 404, not 403.
        if request.user and request.user.is_authenticated:
            raise Http404
        super().permission_denied(request, message=message, code=code)

    @extend_schema(responses={200: ScorecardSerializer(many=True)})
    def get(self, request, session_id):
        try:
            scorecards = scorecard_list(session_id=session_id, user=request.user)
        except InterviewSession.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ScorecardSerializer(scorecards, many=True).data)

    @extend_schema(request=ScorecardInputSerializer, responses={201: ScorecardSerializer})
    def post(self, request, session_id):
        data = ScorecardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            scorecard = scorecard_submit(
                session_id=session_id, scorer=request.user, now=self.now, **data.validated_data
            )
        except InterviewSession.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ScorecardSerializer(scorecard).data, status=status.HTTP_201_CREATED)
