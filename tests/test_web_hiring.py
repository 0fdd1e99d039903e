"""Hiring managers' web pages (issue 16): their sets, a set's results, one session scored blind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.integrity import integrity_event_record
from hiring.models import Scorecard
from hiring.scorecards import scorecard_submit
from hiring.services import invitation_accept, invitation_create, question_set_create
from interviews.services import answer_grade, answer_submit, session_finish
from tests.factories import HiringManagerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(candidate, hiring_manager):
    """A finished invited session of the manager's private set: question 1 answered and self-graded, 2 skipped."""
    questions = QuestionFactory.create_batch(2)
    qset = question_set_create(owner=hiring_manager, name="Platform loop", time_limit_minutes=30, questions=questions)
    now = timezone.now() - timedelta(minutes=10)
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    session = invitation_accept(token=token, user=candidate, now=now)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="Use an **index**.")
    answer_grade(session_id=session.pk, candidate=candidate, now=now, position=1, key_points_hit=[0])
    integrity_event_record(session_id=session.pk, candidate=candidate, type="paste", position=1, now=now)
    session_finish(session_id=session.pk, candidate=candidate, now=now + timedelta(minutes=1))
    session.refresh_from_db()
    item = session.questions.get(position=1)
    return {"set": qset, "session": session, "item": item}


def _good_post(**extra):
    return {"kp_1": ["0", "1"], "score_1": "3", "recommendation": "yes", "summary": "Solid.", **extra}


def test_the_manager_sees_their_sets_and_a_sets_results_with_neutral_flag_counts(client, hiring_manager, world):
    client.force_login(hiring_manager)
    home = client.get("/hiring/").content.decode()
    assert "Platform loop" in home and f"/hiring/sets/{world['set'].pk}/" in home
    html = client.get(f"/hiring/sets/{world['set'].pk}/").content.decode()
    assert "casey" in html and f"/hiring/sessions/{world['session'].pk}/" in html
    assert "paste 1 · copy 0 · focus lost 0" in html and "not a verdict" in html
    assert f"/api/v1/question-sets/{world['set'].pk}/sessions/csv/" in html
    assert f"/hiring/sets/{world['set'].pk}/agreement/" in html


def test_the_nav_links_hiring_for_managers_only(client, hiring_manager, candidate):
    client.force_login(hiring_manager)
    assert 'href="/hiring/"' in client.get("/").content.decode()
    client.force_login(candidate)
    assert 'href="/hiring/"' not in client.get("/").content.decode()


def test_the_session_page_shows_answer_beside_model_answer_and_the_candidates_ticks(client, hiring_manager, world):
    client.force_login(hiring_manager)
    html = client.get(f"/hiring/sessions/{world['session'].pk}/").content.decode()
    item = world["item"]
    assert "Use an <strong>index</strong>." in html and item.model_answer in html
    assert all(point in html for point in item.key_points)
    assert "Candidate ticked:" in html and "self-rating" in html and "Time spent" in html
    assert "hidden until you submit yours" in html and 'name="score_1"' in html and 'name="score_2"' not in html


def test_candidates_and_other_managers_get_404_and_never_a_model_answer(client, candidate, world):
    outsider = HiringManagerFactory(username="alex")
    for user in (candidate, outsider):
        client.force_login(user)
        for path in (f"/hiring/sets/{world['set'].pk}/", f"/hiring/sessions/{world['session'].pk}/"):
            response = client.get(path)
            assert response.status_code == 404
            assert world["item"].model_answer not in response.content.decode()
    client.force_login(candidate)
    assert client.get("/hiring/").status_code == 404
    assert client.post(f"/hiring/sessions/{world['session'].pk}/", _good_post()).status_code == 404
    assert not Scorecard.objects.exists()


def test_submitting_saves_the_scorecard_with_ticks_and_scores(client, hiring_manager, world):
    client.force_login(hiring_manager)
    response = client.post(f"/hiring/sessions/{world['session'].pk}/", _good_post())
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert (card.scorer, card.recommendation, card.summary) == (hiring_manager, "yes", "Solid.")
    assert [(s.position, s.key_points_hit, s.score) for s in card.scores.all()] == [(1, [0, 1], 3)]


def test_an_invalid_form_shows_the_errors_and_saves_nothing(client, hiring_manager, world):
    client.force_login(hiring_manager)
    response = client.post(f"/hiring/sessions/{world['session'].pk}/", {"kp_1": ["0"], "recommendation": "maybe"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Pick a score from 1 to 4" in html and "Select a valid choice" in html
    assert not Scorecard.objects.exists()


def test_a_key_point_outside_the_question_is_refused_by_the_service_message(client, hiring_manager, world):
    client.force_login(hiring_manager)
    response = client.post(f"/hiring/sessions/{world['session'].pk}/", _good_post(kp_1=["7"]))
    assert response.status_code == 400 and not Scorecard.objects.exists()


def test_others_scorecards_are_hidden_until_you_submit_then_shown(client, candidate, hiring_manager):
    # A shared set: the colleague invited the candidate, so both the colleague and the set's owner may score.
    colleague = HiringManagerFactory(username="alex")
    qset = question_set_create(
        owner=hiring_manager, name="Shared loop", time_limit_minutes=30, questions=QuestionFactory.create_batch(1),
        visibility="shared",
    )  # fmt: skip
    now = timezone.now() - timedelta(minutes=10)
    _, token = invitation_create(
        question_set=qset, created_by=colleague, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    session = invitation_accept(token=token, user=candidate, now=now)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="a")
    session_finish(session_id=session.pk, candidate=candidate, now=now + timedelta(minutes=1))
    scorecard_submit(
        session_id=session.pk, scorer=colleague, recommendation="strong_no", summary="COLLEAGUE-NOTE",
        scores=[{"position": 1, "key_points_hit": [], "score": 1}], now=timezone.now(),
    )  # fmt: skip
    client.force_login(hiring_manager)
    before = client.get(f"/hiring/sessions/{session.pk}/").content.decode()
    assert "COLLEAGUE-NOTE" not in before and "hidden until you submit yours" in before
    after = client.post(f"/hiring/sessions/{session.pk}/", _good_post(), follow=True).content.decode()
    assert "COLLEAGUE-NOTE" in after and "Strong no" in after and "alex" in after
    assert "Your scorecard is saved" in after


def test_a_second_submission_shows_the_409_message(client, hiring_manager, world):
    client.force_login(hiring_manager)
    path = f"/hiring/sessions/{world['session'].pk}/"
    client.post(path, _good_post())
    response = client.post(path, _good_post(recommendation="no"))
    assert response.status_code == 409
    assert "already submitted a scorecard" in response.content.decode()
    assert Scorecard.objects.get().recommendation == "yes"


def test_a_session_started_from_the_set_directly_shows_no_counts_as_nothing_is_recorded(client, hiring_manager, world):
    # Only an invitation's session records integrity events: zeros there would read as "clean".
    from hiring.services import session_start_from_set

    direct = session_start_from_set(question_set=world["set"], candidate=hiring_manager, now=timezone.now())
    client.force_login(hiring_manager)
    html = client.get(f"/hiring/sets/{world['set'].pk}/").content.decode()
    assert html.count("paste 1 · copy 0 · focus lost 0") == 1 and "paste 0" not in html
    page = client.get(f"/hiring/sessions/{direct.pk}/")
    assert page.status_code == 200 and "paste 0" not in page.content.decode()
