"""Timed, randomised sessions over the API (SPEC §4 sessions, §5)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviews.models import InterviewSession, SessionQuestion
from interviews.tasks import expire_sessions
from questions.models import Question
from questions.services import question_delete, question_update
from reviews.models import ReviewCard, ReviewLog
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

SESSIONS = "/api/v1/sessions/"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    databases = CategoryFactory(slug="databases")
    caching = CategoryFactory(slug="caching")
    redis = TagFactory(slug="redis")
    questions = {
        "databases": QuestionFactory.create_batch(6, category=databases, difficulty="senior", expected_minutes=4)
        + QuestionFactory.create_batch(4, category=databases, difficulty="junior", expected_minutes=4),
        "caching": QuestionFactory.create_batch(
            5, category=caching, difficulty="mid", tags=[redis], expected_minutes=4
        ),
    }
    QuestionFactory(category=caching, difficulty="mid", status="draft")
    return questions


def start(client, **body):
    return client.post(SESSIONS, body, format="json")


def url(session_id, action=""):
    return f"{SESSIONS}{session_id}/{action + '/' if action else ''}"


class TestStart:
    def test_count_with_filters_draws_distinct_published_matching_questions(self, candidate_client, bank):
        response = start(candidate_client, count=3, categories=["databases"], difficulties=["senior"])
        assert response.status_code == 201, response.data
        data = response.data
        assert data["status"] == "active" and data["summary"] is None
        ids = [q["question_id"] for q in data["questions"]]
        assert len(ids) == 3 == len(set(ids))
        assert set(ids) <= {q.pk for q in bank["databases"][:6]}
        assert [q["position"] for q in data["questions"]] == [1, 2, 3]

    def test_default_time_limit_is_the_sum_of_expected_minutes(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            data = start(candidate_client, count=3).data
        assert data["time_limit_minutes"] == 12
        assert data["deadline"] == (T0 + timedelta(minutes=12)).isoformat().replace("+00:00", "Z")
        assert data["time_remaining_seconds"] == 12 * 60

    def test_quotas_are_honoured(self, candidate_client, bank):
        data = start(
            candidate_client,
            quotas=[
                {"category": "databases", "difficulty": "junior", "count": 2},
                {"category": "caching", "count": 3},
            ],
            time_limit_minutes=30,
        ).data
        by_category = sorted((q["category"], q["difficulty"]) for q in data["questions"])
        assert by_category == [("caching", "mid")] * 3 + [("databases", "junior")] * 2
        assert data["time_limit_minutes"] == 30

    def test_tag_filter(self, candidate_client, bank):
        data = start(candidate_client, count=2, tags=["redis"]).data
        assert {q["category"] for q in data["questions"]} == {"caching"}

    def test_same_seed_same_questions(self, candidate_client, bank):
        first = start(candidate_client, count=4, seed=99, exclude_seen=False).data
        second = start(candidate_client, count=4, seed=99, exclude_seen=False).data
        assert [q["question_id"] for q in first["questions"]] == [q["question_id"] for q in second["questions"]]
        assert first["seed"] == 99

    def test_exclude_seen_prefers_unseen_then_reuses_and_says_how_many(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            first = start(candidate_client, count=4, categories=["databases"], difficulties=["junior"]).data
        assert first["reused_count"] == 0
        with time_machine.travel(T0 + timedelta(days=1), tick=False):
            second = start(candidate_client, count=3, categories=["databases"], difficulties=["senior"]).data
        with time_machine.travel(T0 + timedelta(days=2), tick=False):
            third = start(candidate_client, count=6, categories=["databases"]).data
        # 10 databases questions, all 7 asked: 3 unseen + 3 reused, the oldest (day 0) first.
        third_ids = {q["question_id"] for q in third["questions"]}
        unseen = {q.pk for q in bank["databases"][:6]} - {q["question_id"] for q in second["questions"]}
        assert unseen <= third_ids
        assert third_ids - unseen <= {q["question_id"] for q in first["questions"]}
        assert third["reused_count"] == 3

    def test_pool_too_small_is_400_naming_the_pool(self, candidate_client, bank):
        response = start(candidate_client, quotas=[{"category": "caching", "difficulty": "mid", "count": 6}])
        assert response.status_code == 400
        assert response.data == {"quotas": ["The pool 'caching, mid' holds 5 published questions; 6 asked."]}
        assert not InterviewSession.objects.exists()

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"count": -1}, "count", "greater than or equal to 1"),
            ({"count": 0}, "count", "greater than or equal to 1"),
            ({"count": 51}, "count", "less than or equal to 50"),
            ({"count": "three"}, "count", "valid integer"),
            ({"count": 2, "categories": ["astrology"]}, "categories", "unknown categories ['astrology']"),
            ({"count": 2, "difficulties": ["expert"]}, "difficulties", "not a valid choice"),
            ({"count": 2, "categories": "databases"}, "categories", "list"),
            ({"count": 2, "time_limit_minutes": 0}, "time_limit_minutes", "greater than or equal to 1"),
            ({"count": 2, "seed": -5}, "seed", "greater than or equal to 0"),
            ({"count": 2, "exclude_seen": "maybe"}, "exclude_seen", "valid boolean"),
            ({}, "count", "exactly one of `count`"),
            ({"count": 2, "quotas": [{"category": "caching", "count": 1}]}, "count", "exactly one of `count`"),
            ({"quotas": [{"category": "caching", "count": 0}]}, "quotas", "greater than or equal to 1"),
            ({"quotas": [{"category": "nope", "count": 1}]}, "quotas", "unknown category"),
            (
                {"quotas": [{"category": "caching", "count": 30}, {"category": "databases", "count": 30}]},
                "quotas",
                "at most 50",
            ),
        ],
    )
    def test_invalid_bodies_are_400_with_field_messages(self, candidate_client, bank, body, field, fragment):
        response = start(candidate_client, **body)
        assert response.status_code == 400
        assert fragment.lower() in str(response.data[field]).lower()
        assert not InterviewSession.objects.exists()

    def test_an_unknown_category_is_reported_on_its_own_quota(self, candidate_client, bank):
        response = start(
            candidate_client, quotas=[{"category": "caching", "count": 1}, {"category": "nope", "count": 1}]
        )
        assert response.status_code == 400
        first, second = response.data["quotas"]
        assert first == {}
        assert "Unknown category 'nope'; allowed: caching, databases" in second["category"][0]

    def test_the_quotas_categories_are_checked_in_one_query(self, candidate_client, bank):
        quotas = [{"category": slug, "count": 1} for slug in ("caching", "databases", "caching")]
        start(candidate_client, quotas=quotas)  # builds the pools, which reads categories too
        with CaptureQueriesContext(connection) as ctx:
            assert start(candidate_client, quotas=quotas).status_code == 201
        assert sum('FROM "questions_category"' in q["sql"] for q in ctx.captured_queries) == 1

    def test_the_started_session_is_returned_without_reading_it_again(self, candidate_client, bank):
        with CaptureQueriesContext(connection) as ctx:
            data = start(candidate_client, count=2, categories=["caching"]).data
        assert [q["position"] for q in data["questions"]] == [1, 2]
        assert sum('FROM "interviews_interviewsession"' in q["sql"] for q in ctx.captured_queries) == 0

    def test_snapshot_keeps_what_was_asked_when_the_question_changes(self, candidate_client, bank):
        data = start(candidate_client, count=1, categories=["caching"]).data
        question = Question.objects.get(pk=data["questions"][0]["question_id"])
        question_update(question=question, now=timezone.now(), prompt="A rewritten prompt?")
        again = candidate_client.get(url(data["id"])).data["questions"][0]
        assert again["prompt"] == data["questions"][0]["prompt"] != "A rewritten prompt?"
        assert again["revision"] == 1

    def test_a_question_once_asked_is_retired_not_deleted(self, candidate_client, manager_client, bank):
        data = start(candidate_client, count=1, categories=["caching"]).data
        question_id = data["questions"][0]["question_id"]
        response = manager_client.delete(f"/api/v1/questions/{question_id}/")
        assert response.status_code == 200 and response.data["status"] == "retired"
        assert Question.objects.get(pk=question_id).status == "retired"

    def test_retired_questions_leave_the_draw_pool(self, candidate_client, bank):
        for question in bank["caching"][1:]:
            question_delete(question=question, now=timezone.now())
        data = start(candidate_client, count=1, categories=["caching"]).data
        assert data["questions"][0]["question_id"] == bank["caching"][0].pk
        assert start(candidate_client, count=2, categories=["caching"]).status_code == 400


class TestVisibility:
    def test_model_answers_are_absent_until_answered(self, candidate_client, bank):
        session = start(candidate_client, count=3, categories=["databases"]).data
        for view in (
            session,
            candidate_client.get(url(session["id"])).data,
            candidate_client.get(SESSIONS).data["results"][0],
        ):
            for question in view["questions"]:
                assert not {"model_answer", "key_points", "follow_ups"} & set(question)
                assert question["revealed"] is False
        body = str(candidate_client.get(url(session["id"])).content)
        assert "SECRET" not in body

    def test_answered_question_is_revealed_and_others_stay_hidden(self, candidate_client, bank):
        session = start(candidate_client, count=3, categories=["databases"]).data
        response = candidate_client.post(url(session["id"], "answers"), {"position": 2, "answer": "MVCC..."})
        assert response.status_code == 200
        question = Question.objects.get(pk=response.data["question_id"])
        assert response.data["model_answer"] == question.model_answer
        assert response.data["key_points"] == question.key_points
        assert response.data["follow_ups"] == question.follow_ups
        detail = candidate_client.get(url(session["id"])).data["questions"]
        assert "model_answer" in detail[1]
        assert "model_answer" not in detail[0] and "model_answer" not in detail[2]

    def test_everything_is_revealed_once_the_session_is_over(self, candidate_client, bank):
        session = start(candidate_client, count=2).data
        candidate_client.post(url(session["id"], "finish"))
        for question in candidate_client.get(url(session["id"])).data["questions"]:
            assert question["model_answer"].startswith("SECRET-MODEL-ANSWER")

    @pytest.mark.parametrize(
        ("method", "action", "body"),
        [("get", "", None), ("post", "answers", {"position": 1, "answer": "x"}), ("post", "finish", None)],
    )
    def test_another_users_session_is_404_on_every_endpoint(
        self, candidate_client, other_candidate_client, bank, method, action, body
    ):
        session = start(candidate_client, count=2).data
        response = getattr(other_candidate_client, method)(url(session["id"], action), body, format="json")
        assert response.status_code == 404
        assert "SECRET" not in str(response.content)
        assert other_candidate_client.get(SESSIONS).data["count"] == 0

    def test_hiring_managers_do_not_see_candidates_sessions_here_either(self, candidate_client, manager_client, bank):
        session = start(candidate_client, count=2).data
        assert manager_client.get(url(session["id"])).status_code == 404

    def test_anonymous_is_401(self, anon_client):
        assert anon_client.get(SESSIONS).status_code == 401
        assert anon_client.post(SESSIONS, {"count": 1}).status_code == 401


class TestAnswer:
    def test_answer_records_text_server_time_and_derived_rating(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            session = start(candidate_client, count=2, categories=["databases"]).data
        with time_machine.travel(T0 + timedelta(seconds=95), tick=False):
            first = candidate_client.post(
                url(session["id"], "answers"),
                {"position": 1, "answer": "An answer", "key_points_hit": [0, 1]},
            ).data
        with time_machine.travel(T0 + timedelta(seconds=155), tick=False):
            second = candidate_client.post(
                url(session["id"], "answers"), {"position": 2, "answer": "Another", "key_points_hit": []}
            ).data
        assert first["time_spent_seconds"] == 95 and second["time_spent_seconds"] == 60
        assert first["rating"] == "easy"  # 2 of 2 key points
        assert second["rating"] == "again"  # none
        assert first["answer"] == "An answer" and first["answered"] is True

    def test_explicit_rating_wins_and_no_self_assessment_leaves_it_empty(self, candidate_client, bank):
        session = start(candidate_client, count=2).data
        rated = candidate_client.post(
            url(session["id"], "answers"),
            {"position": 1, "answer": "a", "key_points_hit": [0], "rating": "good"},
        ).data
        unrated = candidate_client.post(url(session["id"], "answers"), {"position": 2, "answer": "b"}).data
        assert rated["rating"] == "good"
        assert unrated["rating"] is None and unrated["key_points_hit"] is None

    def test_second_answer_to_a_position_is_409(self, candidate_client, bank):
        session = start(candidate_client, count=2).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "first"})
        response = candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "second"})
        assert response.status_code == 409
        assert response.data == {"detail": "Position 1 is already answered."}
        assert SessionQuestion.objects.get(session_id=session["id"], position=1).answer == "first"

    def test_answer_after_deadline_is_rejected_and_expires_session(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            session = start(candidate_client, count=2, time_limit_minutes=5).data
        with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
            response = candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "late"})
            detail = candidate_client.get(url(session["id"])).data
        assert response.status_code == 409
        assert "deadline has passed" in response.data["detail"]
        assert detail["status"] == "expired" and detail["time_remaining_seconds"] == 0
        assert not SessionQuestion.objects.filter(session_id=session["id"], answered_at__isnull=False).exists()

    def test_answer_to_a_finished_session_is_409(self, candidate_client, bank):
        session = start(candidate_client, count=2).data
        candidate_client.post(url(session["id"], "finish"))
        response = candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "x"})
        assert response.status_code == 409
        assert "completed" in response.data["detail"]

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"position": 9, "answer": "x"}, "position", "No position 9; this session has positions 1-2."),
            ({"position": 0, "answer": "x"}, "position", "greater than or equal to 1"),
            ({"answer": "x"}, "position", "required"),
            ({"position": 1, "answer": "x", "key_points_hit": [5]}, "key_points_hit", "out of range"),
            ({"position": 1, "answer": "x", "rating": "superb"}, "rating", "not a valid choice"),
            ({"position": 1, "answer": "x" * 20_001}, "answer", "no more than 20000"),
        ],
    )
    def test_invalid_answers_are_400_and_record_nothing(self, candidate_client, bank, body, field, fragment):
        session = start(candidate_client, count=2).data
        response = candidate_client.post(url(session["id"], "answers"), body, format="json")
        assert response.status_code == 400
        assert fragment.lower() in str(response.data[field]).lower()
        assert not SessionQuestion.objects.filter(answered_at__isnull=False).exists()


class TestGrade:
    """Grading after the reveal: tick the rubric once it can be seen (POST /sessions/{id}/grades/)."""

    def test_grading_an_answer_derives_the_rating_and_rates_the_card_once_with_the_answer_time(
        self, candidate_client, bank
    ):
        with time_machine.travel(T0, tick=False):
            session = start(candidate_client, count=1, categories=["databases"]).data
        with time_machine.travel(T0 + timedelta(seconds=80), tick=False):
            answered = candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text"}).data
        assert answered["rating"] is None and len(answered["key_points"]) == 2  # revealed, not graded yet
        with time_machine.travel(T0 + timedelta(seconds=200), tick=False):
            response = candidate_client.post(url(session["id"], "grades"), {"position": 1, "key_points_hit": [1]})
        assert response.status_code == 200, response.data
        assert response.data["key_points_hit"] == [1] and response.data["rating"] == "hard"  # 1 of 2
        log = ReviewLog.objects.get(card__question_id=answered["question_id"])
        assert (log.rating, log.source, log.duration_seconds) == ("hard", "session", 80)

    def test_an_explicit_rating_wins_over_the_ticks(self, candidate_client, bank):
        session = start(candidate_client, count=1).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text"})
        graded = candidate_client.post(
            url(session["id"], "grades"), {"position": 1, "key_points_hit": [], "rating": "good"}
        ).data
        assert graded["rating"] == "good" and graded["key_points_hit"] == []

    def test_grading_an_unanswered_position_is_409_and_records_nothing(self, candidate_client, bank):
        session = start(candidate_client, count=1).data
        response = candidate_client.post(url(session["id"], "grades"), {"position": 1, "key_points_hit": [0]})
        assert response.status_code == 409
        assert "answer it before grading" in response.data["detail"]
        assert not ReviewCard.objects.exists()

    def test_grading_twice_is_409_and_the_card_is_rated_once(self, candidate_client, bank):
        session = start(candidate_client, count=1).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text", "key_points_hit": [0]})
        response = candidate_client.post(url(session["id"], "grades"), {"position": 1, "key_points_hit": [0, 1]})
        assert response.status_code == 409 and "already graded" in response.data["detail"]
        assert ReviewLog.objects.count() == 1
        assert SessionQuestion.objects.get(session_id=session["id"]).key_points_hit == [0]

    def test_an_answer_can_be_graded_after_the_session_ends(self, candidate_client, bank):
        session = start(candidate_client, count=2).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text"})
        candidate_client.post(url(session["id"], "finish"))
        response = candidate_client.post(url(session["id"], "grades"), {"position": 1, "key_points_hit": [0, 1]})
        assert response.status_code == 200 and response.data["rating"] == "easy"
        assert candidate_client.get(url(session["id"])).data["summary"]["score"] == 0.5  # 1 of 2 questions, all points

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"position": 1, "key_points_hit": [5]}, "key_points_hit", "out of range"),
            ({"position": 9, "key_points_hit": []}, "position", "positions 1-1"),
            ({"position": 1}, "key_points_hit", "required"),
            ({"position": 1, "key_points_hit": [], "rating": "great"}, "rating", "not a valid choice"),
        ],
    )
    def test_invalid_grades_are_400_and_change_nothing(self, candidate_client, bank, body, field, fragment):
        session = start(candidate_client, count=1).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text"})
        response = candidate_client.post(url(session["id"], "grades"), body)
        assert response.status_code == 400 and fragment in str(response.data[field])
        assert SessionQuestion.objects.get(session_id=session["id"]).rating is None
        assert not ReviewCard.objects.exists()

    def test_another_users_session_is_404(self, candidate_client, other_candidate_client, bank):
        session = start(candidate_client, count=1).data
        candidate_client.post(url(session["id"], "answers"), {"position": 1, "answer": "text"})
        response = other_candidate_client.post(url(session["id"], "grades"), {"position": 1, "key_points_hit": [0]})
        assert response.status_code == 404
        assert SessionQuestion.objects.get(session_id=session["id"]).rating is None


class TestFinishAndSummary:
    def test_finish_returns_the_summary_and_detail_keeps_it(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            session = start(
                candidate_client,
                quotas=[{"category": "databases", "count": 2}, {"category": "caching", "count": 1}],
            ).data
        by_category = {q["category"]: q["position"] for q in session["questions"]}
        db_position = next(q["position"] for q in session["questions"] if q["category"] == "databases")
        with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
            candidate_client.post(
                url(session["id"], "answers"), {"position": db_position, "answer": "x", "key_points_hit": [0]}
            )
            candidate_client.post(
                url(session["id"], "answers"),
                {"position": by_category["caching"], "answer": "y", "rating": "easy"},
            )
        with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
            response = candidate_client.post(url(session["id"], "finish"))
        assert response.status_code == 200
        summary = response.data["summary"]
        assert summary == {
            "answered": 2,
            "skipped": 1,
            "time_used_seconds": 180,
            "score": 0.5,  # (1/2 + 0 + 1) / 3
            "by_category": [
                {"category": "caching", "answered": 1, "score": 1.0},
                {"category": "databases", "answered": 1, "score": 0.25},
            ],
        }
        assert response.data["status"] == "completed"
        assert candidate_client.get(url(session["id"])).data["summary"] == summary

    def test_finishing_twice_is_409(self, candidate_client, bank):
        session = start(candidate_client, count=1).data
        candidate_client.post(url(session["id"], "finish"))
        response = candidate_client.post(url(session["id"], "finish"))
        assert response.status_code == 409 and "already completed" in response.data["detail"]

    def test_finish_after_deadline_expires_with_time_used_capped_at_the_limit(self, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            session = start(candidate_client, count=1, time_limit_minutes=2).data
        with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
            data = candidate_client.post(url(session["id"], "finish")).data
        assert data["status"] == "expired"
        assert data["summary"]["time_used_seconds"] == 120


class TestExpiryTask:
    def test_abandoned_sessions_expire_and_the_task_is_idempotent(self, candidate, bank, candidate_client):
        with time_machine.travel(T0, tick=False):
            old = start(candidate_client, count=1, time_limit_minutes=5).data
            fresh = start(candidate_client, count=1, time_limit_minutes=60).data
        with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
            assert expire_sessions() == 1
            assert expire_sessions() == 0
        assert InterviewSession.objects.get(pk=old["id"]).status == "expired"
        assert InterviewSession.objects.get(pk=old["id"]).finished_at == T0 + timedelta(minutes=5)
        assert InterviewSession.objects.get(pk=fresh["id"]).status == "active"

    def test_beat_schedules_the_expiry_task(self, settings):
        schedule = settings.CELERY_BEAT_SCHEDULE["expire-abandoned-sessions"]
        assert schedule["task"] == expire_sessions.name
        assert schedule["schedule"] <= 60
