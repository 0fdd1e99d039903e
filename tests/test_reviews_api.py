"""Spaced repetition over the API (SPEC §4 reviews, §6)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from reviews.models import ReviewCard, ReviewLog
from reviews.services import card_rate
from tests.factories import CategoryFactory, QuestionFactory

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DUE = "/api/v1/reviews/due/"
REVIEWS = "/api/v1/reviews/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fuzz(settings):
    settings.FSRS_ENABLE_FUZZING = False
    from reviews.services import scheduler

    scheduler.cache_clear()
    yield
    scheduler.cache_clear()


def make_card(user, question, rating="again", at=T0):
    return card_rate(user=user, question_id=question.pk, rating=rating, now=at, source="session")


class TestSessionAnswersFeedCards:
    def test_a_rated_answer_creates_the_card_and_logs_the_server_measured_duration(self, candidate_client, candidate):
        QuestionFactory.create_batch(2, category=CategoryFactory(slug="databases"))
        with time_machine.travel(T0, tick=False):
            session = candidate_client.post("/api/v1/sessions/", {"count": 2}, format="json").data
        with time_machine.travel(T0 + timedelta(seconds=70), tick=False):
            candidate_client.post(
                f"/api/v1/sessions/{session['id']}/answers/",
                {"position": 1, "answer": "x", "key_points_hit": [0]},
                format="json",
            )
        card = ReviewCard.objects.get(user=candidate)
        assert card.question_id == session["questions"][0]["question_id"]
        log = card.logs.get()
        assert (log.rating, log.source, log.duration_seconds) == ("hard", "session", 70)
        assert log.session_question.position == 1

    def test_an_unrated_answer_leaves_no_card(self, candidate_client, candidate):
        QuestionFactory(category=CategoryFactory(slug="databases"))
        session = candidate_client.post("/api/v1/sessions/", {"count": 1}, format="json").data
        candidate_client.post(f"/api/v1/sessions/{session['id']}/answers/", {"position": 1, "answer": "x"})
        assert not ReviewCard.objects.exists()

    def test_due_reviews_fill_session_slots_first(self, candidate_client, candidate):
        category = CategoryFactory(slug="databases")
        questions = QuestionFactory.create_batch(30, category=category)
        due = questions[17]
        make_card(candidate, due, at=T0)
        make_card(candidate, questions[3], rating="easy", at=T0)  # due in days: not yet
        with time_machine.travel(T0 + timedelta(hours=1), tick=False):
            data = candidate_client.post(
                "/api/v1/sessions/", {"count": 2, "include_due_reviews": True}, format="json"
            ).data
        assert due.pk in [q["question_id"] for q in data["questions"]]


class TestDueAndReview:
    def test_due_lists_own_due_cards_without_answers(self, candidate_client, candidate, other_candidate):
        questions = QuestionFactory.create_batch(3)
        make_card(candidate, questions[0])
        make_card(candidate, questions[1], rating="easy")
        make_card(other_candidate, questions[2])
        with time_machine.travel(T0 + timedelta(hours=1), tick=False):
            response = candidate_client.get(DUE)
        assert response.data["count"] == 1
        item = response.data["results"][0]
        assert item["question_id"] == questions[0].pk
        assert {"question_id", "title", "prompt", "category", "due", "state", "lapses", "is_leech"} <= set(item)
        assert "SECRET" not in str(response.content)

    def test_review_reveals_the_answer_and_the_next_due_time_with_measured_duration(self, candidate_client, candidate):
        question = QuestionFactory()
        make_card(candidate, question)
        with time_machine.travel(T0 + timedelta(hours=1), tick=False):
            candidate_client.get(DUE)
        with time_machine.travel(T0 + timedelta(hours=1, seconds=42), tick=False):
            response = candidate_client.post(REVIEWS, {"question_id": question.pk, "rating": "good"})
        assert response.status_code == 201
        assert response.data["model_answer"] == question.model_answer
        assert response.data["key_points"] == question.key_points
        assert response.data["follow_ups"] == question.follow_ups
        assert datetime.fromisoformat(response.data["due"]) > T0 + timedelta(hours=1)
        log = ReviewLog.objects.filter(source="review").get()
        assert (log.rating, log.duration_seconds) == ("good", 42)

    def test_reviewing_a_question_never_asked_is_refused_without_revealing_it(self, candidate_client):
        question = QuestionFactory()
        response = candidate_client.post(REVIEWS, {"question_id": question.pk, "rating": "good"})
        assert response.status_code == 400
        assert "no review card" in response.data["question_id"][0]
        assert "SECRET" not in str(response.content)
        assert not ReviewCard.objects.exists()

    def test_another_users_card_cannot_be_reviewed(self, candidate_client, other_candidate):
        question = QuestionFactory()
        make_card(other_candidate, question)
        assert candidate_client.post(REVIEWS, {"question_id": question.pk, "rating": "good"}).status_code == 400
        assert ReviewLog.objects.count() == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"question_id": 1, "rating": "superb"}, "rating"),
            ({"rating": "good"}, "question_id"),
            ({"question_id": "x", "rating": "good"}, "question_id"),
        ],
    )
    def test_invalid_reviews_are_400(self, candidate_client, body, field):
        response = candidate_client.post(REVIEWS, body)
        assert response.status_code == 400 and field in response.data

    def test_eight_lapses_make_a_leech_and_the_api_says_so(self, candidate_client, candidate):
        question = QuestionFactory()
        now = T0
        card = make_card(candidate, question, rating="good", at=now)
        while card.lapses < 8:
            now = card.due
            rating = "again" if card.state == ReviewCard.State.REVIEW else "good"
            card = make_card(candidate, question, rating=rating, at=now)
        with time_machine.travel(card.due + timedelta(days=1), tick=False):
            item = candidate_client.get(DUE).data["results"][0]
        assert item["lapses"] == 8 and item["is_leech"] is True


class TestForecast:
    def test_counts_per_day_from_today_with_overdue_today(self, candidate_client, candidate):
        questions = QuestionFactory.create_batch(3)
        make_card(candidate, questions[0], at=T0 - timedelta(days=3))  # overdue
        for question in questions[1:]:
            make_card(candidate, question, rating="easy", at=T0)  # due in a few days
        with time_machine.travel(T0, tick=False):
            data = candidate_client.get("/api/v1/reviews/forecast/", {"days": 30}).data
        assert len(data["days"]) == 30
        assert data["days"][0] == {"date": "2026-06-01", "due": 1}
        assert sum(day["due"] for day in data["days"]) == 3

    @pytest.mark.parametrize("days", [0, 366, "week"])
    def test_bad_days_are_400(self, candidate_client, days):
        response = candidate_client.get("/api/v1/reviews/forecast/", {"days": days})
        assert response.status_code == 400 and "days" in response.data


class TestReminderPreferences:
    URL = "/api/v1/me/reminders/"

    def test_defaults_then_update(self, candidate_client):
        assert candidate_client.get(self.URL).data == {"enabled": False, "timezone": "UTC", "hour": 18, "min_due": 1}
        response = candidate_client.patch(
            self.URL, {"enabled": True, "timezone": "Pacific/Honolulu", "hour": 7}, format="json"
        )
        assert response.status_code == 200
        assert candidate_client.get(self.URL).data == {
            "enabled": True,
            "timezone": "Pacific/Honolulu",
            "hour": 7,
            "min_due": 1,
        }

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"timezone": "Mars/Olympus"}, "timezone", "not an IANA time zone"),
            ({"hour": 24}, "hour", "less than or equal to 23"),
            ({"hour": -1}, "hour", "greater than or equal to 0"),
            ({"min_due": 0}, "min_due", "greater than or equal to 1"),
            ({"enabled": "sometimes"}, "enabled", "valid boolean"),
        ],
    )
    def test_bad_preferences_are_400_and_change_nothing(self, candidate_client, body, field, fragment):
        candidate_client.patch(self.URL, {"enabled": True}, format="json")
        response = candidate_client.patch(self.URL, body, format="json")
        assert response.status_code == 400
        assert fragment in str(response.data[field])
        assert candidate_client.get(self.URL).data == {"enabled": True, "timezone": "UTC", "hour": 18, "min_due": 1}

    def test_preferences_are_per_user(self, candidate_client, other_candidate_client):
        candidate_client.patch(self.URL, {"enabled": True, "hour": 6}, format="json")
        assert other_candidate_client.get(self.URL).data["enabled"] is False
