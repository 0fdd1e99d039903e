"""The invitation landing page: log in as the invited email, accept and start (issue 7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import Invitation
from hiring.services import invitation_accept, invitation_create, question_set_create
from hiring.tokens import invitation_url
from interviews.models import InterviewSession
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(candidate, hiring_manager):
    questions = QuestionFactory.create_batch(2)
    qset = question_set_create(
        owner=hiring_manager, name="Platform loop", description="Two **hard** ones.", time_limit_minutes=30,
        questions=questions,
    )  # fmt: skip
    now = timezone.now()
    found, token = invitation_create(
        question_set=qset,
        created_by=hiring_manager,
        email=candidate.email,
        expires_at=now + timedelta(days=2),
        extra_minutes=10,
        now=now,
    )
    return found, token


def test_the_emailed_link_is_this_page(invitation, settings):
    _, token = invitation
    assert invitation_url(token) == f"{settings.SITE_URL}/invitations/{token}/"


def test_a_visitor_is_asked_to_log_in_or_sign_up_and_comes_back(client, invitation):
    _, token = invitation
    html = client.get(f"/invitations/{token}/").content.decode()
    assert "Platform loop" not in html  # nothing about the set before logging in as the invitee
    assert f"/accounts/login/?next=/invitations/{token}/" in html and f"/signup/?next=/invitations/{token}/" in html


def test_the_invited_candidate_sees_the_set_and_time_including_extra_minutes(client, candidate, invitation):
    _, token = invitation
    client.force_login(candidate)
    html = client.get(f"/invitations/{token}/").content.decode()
    assert "Platform loop" in html and "<strong>hard</strong>" in html
    assert "40 min" in html and "includes 10 extra" in html and "Accept and start" in html


def test_accepting_starts_the_session_and_the_page_then_links_to_it(client, candidate, invitation):
    found, token = invitation
    client.force_login(candidate)
    response = client.post(f"/invitations/{token}/start/")
    session = InterviewSession.objects.get(candidate=candidate)
    assert response["Location"] == f"/interviews/{session.pk}/"
    assert session.origin == "invitation" and session.time_limit_minutes == 40
    html = client.get(f"/invitations/{token}/").content.decode()
    assert "You have accepted this invitation" in html and f"/interviews/{session.pk}/" in html


def test_accepting_twice_says_it_was_used_and_starts_nothing_more(client, candidate, invitation):
    _, token = invitation
    invitation_accept(token=token, user=candidate, now=timezone.now())
    client.force_login(candidate)
    response = client.post(f"/invitations/{token}/start/", follow=True)
    assert "already been used" in response.content.decode()
    assert InterviewSession.objects.count() == 1


def test_another_account_a_wrong_secret_and_a_made_up_token_are_all_404(client, other_candidate, invitation):
    found, token = invitation
    client.force_login(other_candidate)
    for bad in (token, f"{found.public_id}.wrong-secret", "made-up"):
        assert client.get(f"/invitations/{bad}/").status_code == 404
        assert client.post(f"/invitations/{bad}/start/").status_code == 404
    assert Invitation.objects.get().accepted_at is None
