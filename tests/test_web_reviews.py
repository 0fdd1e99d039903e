"""Reviews and reminder settings in the browser (issue 7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ReminderPreference, ReviewCard, ReviewLog
from reviews.services import card_rate
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def casey(client, candidate):
    client.force_login(candidate)
    return client


def due_card(user, **question):
    q = QuestionFactory(**question)
    card_rate(user=user, question_id=q.pk, rating="again", now=timezone.now() - timedelta(days=2), source="session")
    return ReviewCard.objects.get(user=user, question=q)


class TestReviews:
    def test_the_review_page_shows_the_most_overdue_prompt_without_its_answer(self, casey, candidate):
        card = due_card(candidate)
        html = casey.get("/reviews/").content.decode()
        assert card.question.prompt in html and card.question.model_answer not in html
        assert f'href="/reviews/{card.question_id}/"' in html and "1 card due" in html
        card.refresh_from_db()
        assert card.presented_at is not None  # the review's duration starts with the prompt

    def test_revealing_shows_the_answer_and_rating_reschedules_the_card(self, casey, candidate):
        card = due_card(candidate)
        html = casey.get(f"/reviews/{card.question_id}/").content.decode()
        assert card.question.model_answer in html and card.question.key_points[0] in html
        response = casey.post(f"/reviews/{card.question_id}/", {"rating": "good"})
        assert response["Location"] == "/reviews/"
        card.refresh_from_db()
        assert card.due > timezone.now()
        assert ReviewLog.objects.filter(card=card, source="review", rating="good").exists()
        assert "Nothing is due right now" in casey.get("/reviews/").content.decode()

    def test_a_bad_rating_is_explained_and_changes_nothing(self, casey, candidate):
        card = due_card(candidate)
        response = casey.post(f"/reviews/{card.question_id}/", {"rating": "brilliant"})
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
        assert ReviewLog.objects.filter(card=card, source="review").count() == 0

    def test_another_users_card_and_a_question_never_answered_are_404(self, casey, other_candidate):
        theirs = due_card(other_candidate)
        never = QuestionFactory()
        for question_id in (theirs.question_id, never.pk):
            assert casey.get(f"/reviews/{question_id}/").status_code == 404
            assert casey.post(f"/reviews/{question_id}/", {"rating": "easy"}).status_code == 404
        assert not ReviewLog.objects.filter(source="review").exists()

    def test_with_nothing_due_the_page_says_when_the_next_card_is(self, casey, candidate):
        q = QuestionFactory()
        card_rate(user=candidate, question_id=q.pk, rating="easy", now=timezone.now(), source="session")
        html = casey.get("/reviews/").content.decode()
        assert "Nothing is due right now" in html and "Your next card is due" in html


class TestReminderSettings:
    def test_the_page_shows_the_defaults_reminders_off(self, casey):
        html = casey.get("/settings/reminders/").content.decode()
        assert 'name="enabled"' in html and "checked" not in html.split('name="enabled"')[1].split(">")[0]
        assert '<option value="Europe/Paris">Europe/Paris</option>' in html
        assert '<option value="America/New_York">America/New York</option>' in html

    def test_saving_stores_the_preferences(self, casey, candidate):
        form = {"enabled": "on", "timezone": "Asia/Tokyo", "hour": "7", "min_due": "5"}
        assert casey.post("/settings/reminders/", form)["Location"] == "/settings/reminders/"
        preference = ReminderPreference.objects.get(user=candidate)
        assert (preference.enabled, preference.timezone, preference.hour, preference.min_due) == (
            True,
            "Asia/Tokyo",
            7,
            5,
        )

    @pytest.mark.parametrize(
        "change",
        [{"timezone": "Mars/Olympus_Mons"}, {"hour": "24"}, {"min_due": "0"}, {"min_due": "1001"}],
    )
    def test_bad_values_are_explained_and_nothing_is_saved(self, casey, candidate, change):
        form = {"enabled": "on", "timezone": "UTC", "hour": "7", "min_due": "5", **change}
        response = casey.post("/settings/reminders/", form)
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
        assert not ReminderPreference.objects.filter(user=candidate).exists()
