from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from hiring.api.integrity_views import IntegrityEventView
from hiring.api.scorecard_views import SessionScorecardsView
from hiring.api.views import InvitationAcceptView, InvitationDetailView, InvitationRevokeView, QuestionSetViewSet

router = DefaultRouter()
router.register("question-sets", QuestionSetViewSet, basename="question-set")

INVITATION_KEY_RE = r"(?P<token>[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,80})"

urlpatterns = [
    *router.urls,
    path("sessions/<int:session_id>/scorecards/", SessionScorecardsView.as_view(), name="session-scorecards"),
    path("invitations/<int:invitation_id>/revoke/", InvitationRevokeView.as_view(), name="invitation-revoke"),
    re_path(rf"^invitations/{INVITATION_KEY_RE}/$", InvitationDetailView.as_view(), name="invitation-detail"),
    re_path(rf"^invitations/{INVITATION_KEY_RE}/accept/$", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("sessions/<int:session_id>/events/", IntegrityEventView.as_view(), name="session-integrity-events"),
]
