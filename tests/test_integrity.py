"""Integrity signals (SPEC §10): the candidate's invitation session records paste, copy and blur;
results show the counts as flags."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from hiring.api.integrity_views import IntegrityEventView
from hiring.models import IntegrityEvent
from hiring.services import invitation_accept, invitation_create, question_set_create
from interviews.services import session_finish, session_start_from_request
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(candidate, hiring_manager):
    questions = QuestionFactory.create_batch(2)
    qset = question_set_create(owner=hiring_manager, name="Loop", time_limit_minutes=30, questions=questions)
    now = timezone.now()
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    session = invitation_accept(token=token, user=candidate, now=now)
    return qset, session


def events_url(session_id):
    return f"/api/v1/sessions/{session_id}/events/"


def test_the_candidate_records_an_event_in_their_invitation_session(candidate_client, invited):
    _, session = invited
    response = candidate_client.post(events_url(session.pk), {"type": "paste", "position": 2}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["type"] == "paste" and response.json()["position"] == 2
    assert IntegrityEvent.objects.get().session_id == session.pk


def test_another_candidate_and_a_manager_get_404(other_candidate_client, manager_client, invited):
    _, session = invited
    for client in (other_candidate_client, manager_client):
        response = client.post(events_url(session.pk), {"type": "blur", "position": 1}, format="json")
        assert response.status_code == 404
    assert not IntegrityEvent.objects.exists()


def test_an_ad_hoc_session_is_a_400(candidate, candidate_client):
    QuestionFactory.create_batch(2)
    session = session_start_from_request(candidate=candidate, now=timezone.now(), count=1)
    response = candidate_client.post(events_url(session.pk), {"type": "copy", "position": 1}, format="json")
    assert response.status_code == 400 and "invitation" in response.json()["detail"]


def test_a_bad_type_is_a_400_listing_the_allowed_types(candidate_client, invited):
    _, session = invited
    response = candidate_client.post(events_url(session.pk), {"type": "print", "position": 1}, format="json")
    assert response.status_code == 400
    assert "paste, copy, blur" in response.json()["type"][0]


def test_a_position_not_in_the_session_is_a_400(candidate_client, invited):
    _, session = invited
    response = candidate_client.post(events_url(session.pk), {"type": "paste", "position": 3}, format="json")
    assert response.status_code == 400 and "positions 1-2" in response.json()["position"][0]
    assert not IntegrityEvent.objects.exists()


def test_once_over_it_is_a_409(candidate, candidate_client, invited):
    _, session = invited
    session_finish(session_id=session.pk, candidate=candidate, now=timezone.now())
    response = candidate_client.post(events_url(session.pk), {"type": "paste", "position": 1}, format="json")
    assert response.status_code == 409


def test_counts_show_in_the_results_and_the_csv(candidate_client, manager_client, invited):
    qset, session = invited
    for kind in ["paste", "paste", "blur"]:
        candidate_client.post(events_url(session.pk), {"type": kind, "position": 1}, format="json")
    candidate_client.post(f"/api/v1/sessions/{session.pk}/answers/", {"position": 1, "answer": "a"}, format="json")
    rows = manager_client.get(f"/api/v1/question-sets/{qset.pk}/sessions/").json()
    assert rows[0]["integrity"] == {"paste": 2, "copy": 0, "blur": 1}
    text = manager_client.get(f"/api/v1/question-sets/{qset.pk}/sessions/csv/").content.decode()
    line = next(csv.DictReader(io.StringIO(text)))
    assert (line["paste_events"], line["copy_events"], line["blur_events"]) == ("2", "0", "1")


def test_the_endpoint_has_its_own_throttle_scope():
    assert IntegrityEventView.throttle_scope == "integrity"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["integrity"] == "120/min"


def test_the_invitation_page_tells_the_candidate_what_is_recorded(client, candidate, hiring_manager):
    questions = QuestionFactory.create_batch(1)
    qset = question_set_create(owner=hiring_manager, name="Loop", time_limit_minutes=30, questions=questions)
    now = timezone.now()
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    client.force_login(candidate)
    html = client.get(f"/invitations/{token}/").content.decode()
    assert "paste" in html and "leave the page" in html and "not an automatic verdict" in html
