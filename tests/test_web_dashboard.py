"""The front page and dashboard, the score chart, and static files (issue 7)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from interviews.services import answer_grade, answer_submit, session_finish, session_start_from_request
from reviews.services import card_rate
from tests.factories import CategoryFactory, QuestionFactory
from web.charts import score_chart

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_visitors_get_a_welcome_with_sign_up_and_log_in(client, db):
    html = client.get("/").content.decode()
    assert 'href="/signup/"' in html and 'href="/accounts/login/"' in html
    assert "Practise back-end engineering interviews" in html


@pytest.mark.django_db
def test_the_dashboard_shows_due_reviews_recent_sessions_and_the_score_chart(client, candidate, other_candidate):
    databases, caching = CategoryFactory(slug="databases"), CategoryFactory(slug="caching")
    QuestionFactory.create_batch(2, category=databases)
    QuestionFactory.create_batch(2, category=caching)
    recently = timezone.now() - timedelta(minutes=3)
    for minute, hit in ((0, [0, 1]), (1, [0])):
        now = recently + timedelta(minutes=minute)
        session = session_start_from_request(candidate=candidate, now=now, count=4, exclude_seen=False)
        databases_position = session.questions.filter(category="databases").first().position
        answer_submit(session_id=session.pk, candidate=candidate, now=now, position=databases_position, answer="a")
        answer_grade(
            session_id=session.pk, candidate=candidate, now=now, position=databases_position, key_points_hit=hit
        )
        session_finish(session_id=session.pk, candidate=candidate, now=now + timedelta(seconds=30))
    # Cards those sessions rated fall due minutes or days from now; these two, missed days ago, are due.
    for user, questions in ((candidate, 2), (other_candidate, 1)):
        for question in QuestionFactory.create_batch(questions):
            card_rate(user=user, question_id=question.pk, rating="again", now=T0, source="session")
    client.force_login(candidate)
    html = client.get("/").content.decode()
    assert 'id="due-count">2<' in html  # casey's due cards, not olivia's
    assert html.count("/summary/") >= 2 and "25%" in html  # 1 of 4 questions fully covered
    assert "<svg" in html and html.count("<polyline") == 2  # databases and caching
    assert "databases 50%" in html and "databases 25%" in html and "caching 0%" in html  # the table view


def test_the_chart_puts_each_category_on_its_own_line_from_0_to_100_percent():
    history = [
        {"session_id": 1, "finished_at": T0, "scores": {"databases": 0.0, "caching": 1.0}},
        {"session_id": 2, "finished_at": T0 + timedelta(days=1), "scores": {"databases": 0.5}},
        {"session_id": 3, "finished_at": T0 + timedelta(days=2), "scores": {"databases": 1.0, "caching": 0.5}},
    ]
    chart = score_chart(history, width=300, height=128)
    lines = {s.category: s for s in chart.series}
    assert set(lines) == {"databases", "caching"} and lines["databases"].colour != lines["caching"].colour
    # x from left=44 to right=270 across the 3 sessions; y from bottom=100 (0%) to top=12 (100%)
    assert lines["databases"].points == "44.0,100.0 157.0,56.0 270.0,12.0"
    assert lines["caching"].points == "44.0,12.0 270.0,56.0"  # no point where the category was not asked
    assert [label for _, label in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert score_chart([]) is None


@pytest.mark.django_db
def test_static_files_are_served_by_whitenoise_after_collectstatic(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    response = Client().get("/static/web/app.js")  # a new client: WhiteNoise reads STATIC_ROOT at start
    assert response.status_code == 200 and "startCountdown" in b"".join(response.streaming_content).decode()
    assert "max-age" in response["Cache-Control"]
