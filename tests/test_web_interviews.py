"""Mock interviews in the browser (issue 7): start, answer, reveal and grade, time out, finish, summary, history."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from interviews.models import InterviewSession, SessionQuestion
from interviews.services import answer_submit, session_start_from_request
from reviews.models import ReviewLog
from tests.factories import CategoryFactory, QuestionFactory
from web.views.interviews import AUTOSUBMIT_LEAD_SECONDS

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    databases = CategoryFactory(slug="databases", name="Databases")
    caching = CategoryFactory(slug="caching", name="Caching")
    return QuestionFactory.create_batch(6, category=databases) + QuestionFactory.create_batch(3, category=caching)


@pytest.fixture
def casey(client, candidate):
    client.force_login(candidate)
    return client


def start(client, **form):
    return client.post("/interviews/new/", {"count": 3, "exclude_seen": "on", **form})


def only_session(candidate) -> InterviewSession:
    return InterviewSession.objects.get(candidate=candidate)


def page(session, position, action=""):
    return f"/interviews/{session.pk}/q/{position}/{action + '/' if action else ''}"


class TestStart:
    def test_the_form_offers_categories_with_published_counts_and_the_session_options(self, casey, bank):
        html = casey.get("/interviews/new/").content.decode()
        assert "Databases (6)" in html and "Caching (3)" in html
        for name in ("difficulties", "count", "time_limit_minutes", "include_due_reviews", "exclude_seen"):
            assert f'name="{name}"' in html

    def test_starting_draws_the_questions_and_opens_the_first(self, casey, candidate, bank):
        response = start(casey, categories=["caching"], time_limit_minutes=7, include_due_reviews="on")
        session = only_session(candidate)
        assert response.status_code == 302 and response["Location"] == f"/interviews/{session.pk}/"
        assert session.time_limit_minutes == 7 and session.request["include_due_reviews"] is True
        assert {q.category for q in session.questions.all()} == {"caching"}
        assert casey.get(response["Location"])["Location"] == page(session, 1)

    def test_a_pool_too_small_says_so_on_the_form_and_starts_nothing(self, casey, candidate, bank):
        response = start(casey, count=4, categories=["caching"])
        assert response.status_code == 200
        assert "holds 3 published questions; 4 asked" in response.content.decode()
        assert not InterviewSession.objects.exists()

    @pytest.mark.parametrize(
        ("form", "message"),
        [
            ({"count": 0}, "greater than or equal to 1"),
            ({"count": 51}, "less than or equal to 50"),
            ({"time_limit_minutes": 0}, "greater than or equal to 1"),
            ({"categories": ["cooking"]}, "Select a valid choice"),
            ({"difficulties": ["expert"]}, "Select a valid choice"),
        ],
    )
    def test_bad_input_is_explained_and_starts_nothing(self, casey, bank, form, message):
        response = start(casey, **form)
        assert response.status_code == 200 and message in response.content.decode()
        assert not InterviewSession.objects.exists()


class TestQuestionPage:
    def test_the_rubric_stays_hidden_until_the_answer_is_in(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        html = casey.get(page(session, 1)).content.decode()
        item = session.questions.get(position=1)
        assert item.title in html and item.prompt in html
        assert "SECRET-" not in html  # no model answer, key point or follow-up of any question
        assert 'id="answer-form"' in html and 'name="timed_out"' in html

    def test_answering_reveals_model_answer_key_points_and_follow_ups_to_grade(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        response = casey.post(page(session, 1, "answer"), {"answer": "Use an **index**."})
        assert response["Location"] == page(session, 1)
        html = casey.get(page(session, 1)).content.decode()
        item = session.questions.get(position=1)
        assert "<strong>index</strong>" in html and item.model_answer in html and item.follow_ups[0] in html
        assert item.key_points[0] in html and 'name="q1-key_points_hit"' in html
        assert 'data-suggestions="again,hard,easy"' in html  # 0, 1 or 2 of 2 ticked
        other = session.questions.get(position=2)
        assert other.model_answer not in html and other.key_points[0] not in html
        assert item.answered and item.rating is None  # answered, not graded yet

    def test_grading_ticks_key_points_rates_the_card_and_moves_on(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        casey.post(page(session, 1, "answer"), {"answer": "text"})
        response = casey.post(page(session, 1, "grade"), {"q1-key_points_hit": ["1"], "q1-rating": "good"})
        assert response["Location"] == f"/interviews/{session.pk}/"
        assert casey.get(response["Location"])["Location"] == page(session, 2)
        item = session.questions.get(position=1)
        assert (item.key_points_hit, item.rating) == ([1], "good")
        assert ReviewLog.objects.get(card__question_id=item.question_id).source == "session"
        html = casey.get(page(session, 1)).content.decode()
        assert "Covered:" in html and "Missed:" in html and "Good" in html

    def test_a_grade_for_a_key_point_the_question_lacks_is_refused(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        casey.post(page(session, 1, "answer"), {"answer": "text"})
        response = casey.post(page(session, 1, "grade"), {"q1-key_points_hit": ["7"], "q1-rating": "good"}, follow=True)
        assert "That grade was not saved" in response.content.decode()
        assert session.questions.get(position=1).rating is None

    def test_skip_leads_to_the_next_unanswered_question_and_wraps_round(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        casey.post(page(session, 2, "answer"), {"answer": "text"})
        html = casey.get(page(session, 3)).content.decode()
        assert f'href="{page(session, 1)}">Skip for now' in html

    def test_a_second_answer_to_a_position_is_refused_with_the_reason(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        casey.post(page(session, 1, "answer"), {"answer": "first"})
        response = casey.post(page(session, 1, "answer"), {"answer": "second"}, follow=True)
        assert "Position 1 is already answered" in response.content.decode()
        assert session.questions.get(position=1).answer == "first"

    def test_an_answer_over_the_size_cap_is_refused_and_saves_nothing(self, casey, candidate, bank, settings):
        start(casey)
        session = only_session(candidate)
        response = casey.post(page(session, 1, "answer"), {"answer": "x" * 20_001}, follow=True)
        assert "at most 20000 characters" in response.content.decode()
        assert not session.questions.get(position=1).answered


class TestCountdown:
    def test_the_countdown_follows_the_server_deadline_so_a_reload_does_not_reset_it(self, casey, candidate, bank):
        with time_machine.travel(T0, tick=False):
            start(casey, time_limit_minutes=10)
        session = only_session(candidate)
        with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
            first = casey.get(page(session, 1)).content.decode()
        with time_machine.travel(T0 + timedelta(minutes=7), tick=False):
            reloaded = casey.get(page(session, 1)).content.decode()
        assert 'data-remaining-ms="360000"' in first and 'data-remaining-ms="180000"' in reloaded
        # the clock shown reaches zero a little early, so the answer it submits lands in time
        assert f'data-lead-ms="{AUTOSUBMIT_LEAD_SECONDS * 1000}"' in first
        assert "data-countdown-clock>5:57<" in first and "data-countdown-clock>2:57<" in reloaded

    def test_at_zero_the_typed_answer_is_saved_and_the_session_ends_as_expired(self, casey, candidate, bank):
        with time_machine.travel(T0, tick=False):
            start(casey, time_limit_minutes=5)
        session = only_session(candidate)
        with time_machine.travel(T0 + timedelta(minutes=5, seconds=-2), tick=False):
            response = casey.post(page(session, 2, "answer"), {"answer": "half an answer", "timed_out": "on"})
        assert response["Location"] == f"/interviews/{session.pk}/summary/#q2"
        session.refresh_from_db()
        assert session.status == "expired"
        assert session.questions.get(position=2).answer == "half an answer"
        html = casey.get(response["Location"]).content.decode()
        assert "Time is up" in html and "half an answer" in html and 'name="q2-key_points_hit"' in html

    def test_an_answer_after_the_deadline_is_not_saved_and_says_why(self, casey, candidate, bank):
        with time_machine.travel(T0, tick=False):
            start(casey, time_limit_minutes=5)
        session = only_session(candidate)
        with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
            response = casey.post(page(session, 1, "answer"), {"answer": "late", "timed_out": "on"}, follow=True)
        assert "not saved: The deadline has passed" in response.content.decode()
        assert not session.questions.filter(answered_at__isnull=False).exists()
        assert only_session(candidate).status == "expired"

    def test_no_new_question_is_handed_out_once_the_countdown_shows_zero(self, casey, candidate, bank):
        with time_machine.travel(T0, tick=False):
            start(casey, time_limit_minutes=5)
            answer_submit(session_id=only_session(candidate).pk, candidate=candidate, now=T0, position=1, answer="a")
        session = only_session(candidate)
        with time_machine.travel(T0 + timedelta(minutes=5, seconds=-AUTOSUBMIT_LEAD_SECONDS + 1), tick=False):
            response = casey.get(page(session, 2))
        assert response["Location"] == f"/interviews/{session.pk}/summary/"
        assert only_session(candidate).status == "expired"


class TestFinishAndSummary:
    def test_finishing_early_shows_the_summary_with_every_question_revealed(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        casey.post(page(session, 1, "answer"), {"answer": "text"})
        casey.post(page(session, 1, "grade"), {"q1-key_points_hit": ["0", "1"], "q1-rating": "easy"})
        response = casey.post(f"/interviews/{session.pk}/finish/")
        assert response["Location"] == f"/interviews/{session.pk}/summary/"
        html = casey.get(response["Location"]).content.decode()
        assert 'id="summary-score">33%' in html  # 1 of 3 questions, every key point
        assert 'id="summary-answered">1' in html and 'id="summary-skipped">2' in html
        for item in session.questions.all():
            assert item.model_answer in html
        assert only_session(candidate).status == "completed"

    def test_the_summary_of_a_running_session_sends_back_to_the_questions(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        assert casey.get(f"/interviews/{session.pk}/summary/")["Location"] == f"/interviews/{session.pk}/"

    def test_when_every_question_is_answered_the_page_offers_to_finish(self, casey, candidate, bank):
        start(casey, count=1)
        session = only_session(candidate)
        casey.post(page(session, 1, "answer"), {"answer": "text"})
        html = casey.get(f"/interviews/{session.pk}/").content.decode()
        assert "Every question is answered" in html and f'action="/interviews/{session.pk}/finish/"' in html

    def test_history_lists_own_sessions_with_scores_only(self, casey, candidate, other_candidate, bank):
        mine = session_start_from_request(candidate=candidate, now=T0, count=2)
        theirs = session_start_from_request(candidate=other_candidate, now=T0, count=2)
        html = casey.get("/interviews/").content.decode()
        assert f"/interviews/{mine.pk}/summary/" in html  # started long ago: expired by now
        assert f"/interviews/{theirs.pk}/" not in html


class TestOwnership:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", "/interviews/{id}/"),
            ("get", "/interviews/{id}/q/1/"),
            ("post", "/interviews/{id}/q/1/answer/"),
            ("post", "/interviews/{id}/q/1/grade/"),
            ("post", "/interviews/{id}/finish/"),
            ("get", "/interviews/{id}/summary/"),
        ],
    )
    def test_another_users_session_is_404_and_unchanged(self, client, candidate, other_candidate, bank, method, path):
        session = session_start_from_request(candidate=candidate, now=datetime.now(tz=UTC), count=2)
        client.force_login(other_candidate)
        response = getattr(client, method)(path.format(id=session.pk), {"answer": "mine now"})
        assert response.status_code == 404
        assert "SECRET-" not in response.content.decode()
        session.refresh_from_db()
        assert session.status == "active"
        assert not SessionQuestion.objects.filter(session=session, answered_at__isnull=False).exists()

    def test_the_404_page_is_the_sites_own_and_says_nothing_of_the_owner(
        self, client, candidate, other_candidate, bank
    ):
        session = session_start_from_request(candidate=candidate, now=datetime.now(tz=UTC), count=2)
        client.force_login(other_candidate)
        html = client.get(f"/interviews/{session.pk}/summary/").content.decode()
        assert "There is nothing here for your account" in html and 'href="/interviews/new/"' in html
        assert "casey" not in html

    @pytest.mark.parametrize("path", ["/interviews/", "/interviews/new/", "/interviews/1/", "/interviews/1/q/1/"])
    def test_visitors_are_sent_to_log_in(self, client, path):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"

    def test_answer_grade_and_finish_take_post_only(self, casey, candidate, bank):
        start(casey)
        session = only_session(candidate)
        for action in ("q/1/answer/", "q/1/grade/", "finish/"):
            assert casey.get(f"/interviews/{session.pk}/{action}").status_code == 405
