"""Integrity events from the candidate's page (SPEC §10): HTTP in, hiring.integrity out."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api.serializers import IntegrityEventInputSerializer, IntegrityEventSerializer
from hiring.integrity import integrity_event_record
from interview_bank.clock import RequestClockMixin
from interviews.models import InterviewSession


class IntegrityEventView(RequestClockMixin, APIView):
    """The candidate's own invitation session records a paste, a copy or the page losing focus."""

    # Its own rate: the page sends these in bursts, and they must not eat the user's budget.
    throttle_scope = "integrity"
    conflict_codes = ("409",)

    @extend_schema(
        request=IntegrityEventInputSerializer,
        responses={201: IntegrityEventSerializer},
        summary="Record an integrity event (paste, copy, blur) in your invitation's session",
        description="Only the session's candidate, only in a session started from an invitation, and only "
        "while it runs. Hiring managers see the counts per session in the results, as flags, never a verdict.",
    )
    def post(self, request, session_id):
        data = IntegrityEventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            event = integrity_event_record(
                session_id=session_id,
                candidate=request.user,
                type=data.validated_data["type"],
                position=data.validated_data.get("position"),
                now=self.now,
            )
        except InterviewSession.DoesNotExist as exc:
            raise Http404 from exc
        return Response(IntegrityEventSerializer(event).data, status=status.HTTP_201_CREATED)
