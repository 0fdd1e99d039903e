"""A hiring manager scores a finished invited session in a real browser (issue 16)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Scorecard
from hiring.services import invitation_accept, invitation_create, question_set_create
from interviews.services import answer_submit, session_finish
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # tests/factories.py


def test_a_manager_ticks_key_points_scores_recommends_and_sees_the_scorecard(
    page, site, candidate, hiring_manager, csp_violations
):
    question = QuestionFactory(
        key_points=["sorted keys", "log-time lookups"], model_answer="A B-tree keeps keys sorted."
    )
    qset = question_set_create(owner=hiring_manager, name="Platform loop", time_limit_minutes=30, questions=[question])
    now = timezone.now() - timedelta(minutes=10)
    _, token = invitation_create(
        question_set=qset, created_by=hiring_manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip
    session = invitation_accept(token=token, user=candidate, now=now)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="Keys stay sorted.")
    session_finish(session_id=session.pk, candidate=candidate, now=now + timedelta(minutes=1))

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(hiring_manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Hiring").click()
    page.get_by_role("link", name="Platform loop").click()
    page.get_by_role("link", name=f"Open session {session.pk}").click()

    expect(page.locator(".model-answer")).to_contain_text("A B-tree keeps keys sorted.")
    expect(page.get_by_text("hidden until you submit yours").first).to_be_visible()
    form = page.locator("#scorecard-form")
    form.get_by_label("sorted keys").check()
    form.get_by_label("3 · meets the bar").check()
    form.get_by_label("Strong yes").check()
    form.get_by_label("Summary").fill("Knows the basics.")
    page.get_by_role("button", name="Submit scorecard").click()

    expect(page.get_by_text("Your scorecard is saved")).to_be_visible()
    table = page.locator("#scorecards table")
    expect(table).to_contain_text("(you)")
    expect(table).to_contain_text("Strong yes")
    card = Scorecard.objects.get()
    assert card.recommendation == "strong_yes" and [(s.key_points_hit, s.score) for s in card.scores.all()] == [
        ([0], 3)
    ]
    assert csp_violations() == []
