"""A candidate in a real browser (issue 7): sign up, a timed interview with a time-out,
finishing early, and a due review — by mouse and keyboard, on desktop and phone widths."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import InterviewSession
from reviews.models import ReviewCard, ReviewLog
from reviews.services import card_rate
from tests.factories import CategoryFactory, QuestionFactory
from web.views.interviews import AUTOSUBMIT_LEAD_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def bank(transactional_db):
    databases = CategoryFactory(slug="databases", name="Databases")
    return QuestionFactory.create_batch(
        4,
        category=databases,
        prompt="Explain **indexes** with an example:\n\n```sql\nCREATE INDEX ON orders (customer_id);\n```",
        model_answer="A B-tree keeps keys sorted, so lookups take O(log n).",
        key_points=["sorted keys", "log-time lookups", "write cost"],
        follow_ups=["When would a hash index be better?"],
    )


def sign_up(page, site, username="pat"):
    page.goto(site)
    page.get_by_role("link", name="Sign up, it takes a minute").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password:", exact=True).fill("a-long-pass-phrase")
    page.get_by_label("Password again").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}")).to_be_visible()


def start_interview(page, count=3, minutes=30):
    page.get_by_role("link", name="Start a mock interview").click()
    page.get_by_label("Databases (4)").check()
    page.get_by_label("Number of questions").fill(str(count))
    page.get_by_label("Time limit (minutes)").fill(str(minutes))
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Question number"))
    expect(page).to_have_title(re.compile(f"Question 1 of {count}"))


def test_sign_up_answer_one_let_one_time_out_and_see_the_summary(page, site, bank):
    sign_up(page, site)
    start_interview(page)
    expect(page.locator("pre code")).to_contain_text("CREATE INDEX")  # the prompt's Markdown rendered
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^29:[0-5]\d$"))
    expect(page.get_by_text("A B-tree keeps keys sorted")).to_have_count(0)  # no answer before answering

    # Question 1: answer, see the model answer, tick the rubric, take the suggested rating.
    page.get_by_label("Your answer").fill("Sorted keys in a B-tree make lookups fast.")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.locator(".model-answer")).to_contain_text("A B-tree keeps keys sorted")
    expect(page.get_by_text("When would a hash index be better?")).to_be_visible()
    suggested = page.locator("[data-suggested]")
    expect(suggested).to_have_text("again")
    page.get_by_label("sorted keys").check()
    page.get_by_label("log-time lookups").check()
    expect(suggested).to_have_text("good")  # 2 of 3 ticked
    expect(page.locator("button.rating.suggested")).to_have_text("Good")
    page.locator("button.rating.suggested").click()
    expect(page).to_have_title(re.compile("Question 2 of 3"))

    # Question 2: type, reload (the draft and the deadline both survive), and let the time run out.
    page.get_by_label("Your answer").fill("Half a thought about write amplification")
    session = InterviewSession.objects.get()
    InterviewSession.objects.filter(pk=session.pk).update(
        deadline=timezone.now() + timedelta(seconds=AUTOSUBMIT_LEAD_SECONDS + 8)
    )  # a shortened time limit
    page.reload()
    expect(page.get_by_label("Your answer")).to_have_value("Half a thought about write amplification")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^0:0\d$"))
    expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=15_000)

    expect(page.get_by_text("Time is up. What you had typed was saved as your answer.")).to_be_visible()
    expect(page.locator("#summary-answered")).to_have_text("2")
    expect(page.locator("#summary-skipped")).to_have_text("1")
    expect(page.locator("#summary-score")).to_have_text("22%")  # (2/3 + 0 + 0) / 3
    session.refresh_from_db()
    assert session.status == "expired"
    timed_out = session.questions.get(position=2)
    assert timed_out.answer == "Half a thought about write amplification" and timed_out.rating is None

    # The timed-out answer is graded on the summary.
    page.locator("#q2").get_by_label("write cost").check()
    page.locator("#q2").get_by_role("button", name="Hard").click()
    expect(page.locator("#q2 summary")).to_contain_text("Hard")
    expect(page.locator("#summary-score")).to_have_text("33%")  # (2/3 + 1/3 + 0) / 3


def test_log_in_answer_one_finish_early_by_keyboard_on_a_phone(page, site, bank, candidate):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/interviews/new/")  # not logged in: the login page, then back here
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("casey")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Start a mock interview")).to_be_visible()
    page.keyboard.press("Tab")  # the first stop skips the navigation
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_label("Number of questions").fill("3")
    page.get_by_label("Number of questions").press("Enter")
    expect(page).to_have_title(re.compile("Question 1 of 3"))

    page.get_by_label("Your answer").fill("Keyboard only.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit answer")).to_be_focused()  # focus order follows the form
    page.keyboard.press("Enter")
    expect(page.locator(".model-answer")).to_be_visible()
    page.get_by_label("sorted keys").focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-suggested]")).to_have_text("hard")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    page.get_by_role("button", name="Hard").click()

    page.get_by_role("button", name="Finish the interview now").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.locator("#summary-answered")).to_have_text("1")
    expect(page.locator("#summary-skipped")).to_have_text("2")
    assert InterviewSession.objects.get().status == "completed"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_rate_a_due_review(page, site, candidate):
    question = QuestionFactory(title="What is a covering index?", model_answer="An index holding every column read.")
    card_rate(
        user=candidate,
        question_id=question.pk,
        rating="again",
        now=timezone.now() - timedelta(days=3),
        source="session",
    )
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#due-count")).to_have_text("1")
    page.get_by_role("link", name="Review now").click()
    expect(page.get_by_role("heading", name="What is a covering index?")).to_be_visible()
    expect(page.get_by_text("An index holding every column read.")).to_have_count(0)
    page.get_by_role("link", name="Show the answer").click()
    expect(page.locator(".model-answer")).to_contain_text("An index holding every column read.")
    page.get_by_role("button", name="Good").click()
    expect(page.get_by_text("Nothing is due right now.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Rated good: next due")
    card = ReviewCard.objects.get(user=candidate, question=question)
    assert card.due > timezone.now()
    assert ReviewLog.objects.filter(card=card, source="review", rating="good").count() == 1
