"""Scorecards over the API (SPEC §10): blind until yours is in, one per scorer, 404 for everyone else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import QuestionSet, Scorecard
from hiring.services import invitation_create, question_set_create
from interviews.services import answer_submit, session_finish
from tests.factories import HiringManagerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def url(session_id):
    return f"/api/v1/sessions/{session_id}/scorecards/"


@pytest.fixture
def world(hiring_manager, candidate):
    from hiring.services import invitation_accept

    now = timezone.now()
    questions = QuestionFactory.create_batch(2)
    qset = question_set_create(
        owner=hiring_manager, name="Loop", time_limit_minutes=30, questions=questions,
        visibility=QuestionSet.Visibility.SHARED,
    )  # fmt: skip
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    session = invitation_accept(token=token, user=candidate, now=now)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="an answer")
    return {"session": session, "now": now, "candidate": candidate}


def finish(world):
    session_finish(session_id=world["session"].pk, candidate=world["candidate"], now=world["now"])


BODY = {"recommendation": "yes", "summary": "Solid", "scores": [{"position": 1, "key_points_hit": [0], "score": 3}]}


def test_a_running_session_cannot_be_scored(manager_client, world):
    assert manager_client.post(url(world["session"].pk), BODY, format="json").status_code == 409


def test_blind_until_own_submitted_then_visible(manager_client, world):
    finish(world)
    response = manager_client.get(url(world["session"].pk))
    assert response.status_code == 403
    assert "blind" in response.data["detail"]
    response = manager_client.post(url(world["session"].pk), BODY, format="json")
    assert response.status_code == 201, response.data
    assert response.data["scorer"] == "morgan"
    assert response.data["scores"] == [{"position": 1, "key_points_hit": [0], "score": 3}]
    listed = manager_client.get(url(world["session"].pk))
    assert listed.status_code == 200
    assert [c["recommendation"] for c in listed.data] == ["yes"]
    assert set(listed.data[0]) >= {"scorer", "recommendation", "summary", "submitted_at", "scores"}


def test_a_second_scorecard_is_409(manager_client, world):
    finish(world)
    assert manager_client.post(url(world["session"].pk), BODY, format="json").status_code == 201
    assert manager_client.post(url(world["session"].pk), BODY, format="json").status_code == 409
    assert Scorecard.objects.count() == 1


def test_candidates_and_other_managers_get_404(candidate_client, client_for, world):
    finish(world)
    other = client_for(HiringManagerFactory(username="riley"))
    for client in (candidate_client, other):
        assert client.post(url(world["session"].pk), BODY, format="json").status_code == 404
        assert client.get(url(world["session"].pk)).status_code == 404
    assert Scorecard.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"recommendation": "maybe"}, "allowed: strong_no, no, yes, strong_yes"),
        ({"scores": [{"position": 1, "score": 5}]}, "1-4"),
        ({"scores": [{"position": 1, "score": 0}]}, "1-4"),
        ({"scores": [{"position": 9, "score": 2}]}, "not in this session"),
        ({"scores": []}, "missing"),
    ],
)
def test_invalid_scorecards_are_400_and_change_nothing(manager_client, world, change, fragment):
    finish(world)
    response = manager_client.post(url(world["session"].pk), {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert fragment in str(response.data)
    assert Scorecard.objects.count() == 0


def test_agreement_endpoint_for_the_manager_and_404_for_candidates(manager_client, candidate_client, world):
    finish(world)
    manager_client.post(url(world["session"].pk), BODY, format="json")
    set_id = world["session"].question_set_link.question_set_id
    response = manager_client.get(f"/api/v1/question-sets/{set_id}/agreement/")
    assert response.status_code == 200
    assert (response.data["sessions"], response.data["scorers"]) == (1, 1)
    assert response.data["recommendation_agreement"] is None
    assert candidate_client.get(f"/api/v1/question-sets/{set_id}/agreement/").status_code in (403, 404)


def test_scorecards_csv_is_formula_safe(manager_client, world):
    finish(world)
    manager_client.post(url(world["session"].pk), BODY, format="json")
    world["session"].questions.filter(position=1).update(title="=HYPERLINK(1)")
    set_id = world["session"].question_set_link.question_set_id
    response = manager_client.get(f"/api/v1/question-sets/{set_id}/scorecards/csv/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "'=HYPERLINK(1)" in text and ",morgan,yes,1," in text
