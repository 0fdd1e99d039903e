"""Every kind of page runs under the enforced Content-Security-Policy without a
single violation (issue 12): candidate pages, the chart, Swagger UI, the admin."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.services import answer_grade, answer_submit, session_finish, session_start_from_request
from tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


PASSWORD = "correct horse battery staple"  # tests/factories.py


def log_in(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_candidate_pages_and_the_score_chart_cause_no_csp_violation(page, site, candidate, csp_violations):
    databases = CategoryFactory(slug="databases", name="Databases")
    QuestionFactory.create_batch(
        3, category=databases, prompt="| op | cost |\n|:--|--:|\n| seek | O(log n) |", key_points=["a", "b"]
    )
    now = timezone.now() - timedelta(minutes=5)
    session = session_start_from_request(candidate=candidate, now=now, count=1, exclude_seen=False)
    answer_submit(session_id=session.pk, candidate=candidate, now=now, position=1, answer="a")
    answer_grade(session_id=session.pk, candidate=candidate, now=now, position=1, key_points_hit=[0])
    session_finish(session_id=session.pk, candidate=candidate, now=now + timedelta(seconds=30))

    page.goto(site)  # the visitor's welcome
    page.goto(f"{site}/signup/")
    log_in(page, site, candidate.username)
    expect(page.locator(".chart svg polyline")).to_have_count(1)  # the dashboard's chart and legend
    expect(page.locator(".legend .swatch")).to_be_visible()
    page.goto(f"{site}/interviews/{session.pk}/summary/")
    page.goto(f"{site}/interviews/new/")
    page.get_by_label("Number of questions").fill("2")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("timer")).to_be_visible()  # app.js ran: the countdown ticks
    expect(page.locator(".prompt th.align-right")).to_have_css("text-align", "right")
    page.get_by_label("Your answer").fill("an answer")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator("[data-suggested]")).to_have_text(re.compile(r"\w+"))  # app.js's suggested rating
    page.goto(f"{site}/settings/reminders/")
    page.goto(f"{site}/favicon.ico")
    assert csp_violations() == []


def test_swagger_ui_and_the_admin_cause_no_csp_violation(page, site, hiring_manager, csp_violations):
    page.goto(f"{site}/api/docs/")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    page.locator("#swagger-ui .opblock-summary").first.click()  # expanding an operation draws icons
    expect(page.locator("#swagger-ui .opblock-body").first).to_be_visible()
    assert csp_violations() == []

    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(hiring_manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{site}/admin/questions/question/add/")
    expect(page.locator("#question_form")).to_be_visible()
    page.goto(f"{site}/admin/questions/question/")
    assert csp_violations() == []


def test_an_inline_script_would_be_reported(page, site, csp_violations):
    # The check itself works: a script injected into the page is refused and recorded.
    page.goto(site)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = 1";
          document.head.append(script);
        }"""
    )
    assert page.evaluate("window.ran") is None
    assert any("script-src" in violation for violation in csp_violations())
