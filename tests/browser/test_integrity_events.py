"""The candidate's page reports a paste in an invitation's session (issue 16, SPEC §10)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import IntegrityEvent
from hiring.services import invitation_create, question_set_create
from tests.factories import HiringManagerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paste_into_the_answer_box_is_recorded_with_its_position(page, site):
    candidate = UserFactory(username="pat", email="pat@example.com")
    candidate.set_password("a-long-pass-phrase")
    candidate.save()
    manager = HiringManagerFactory(username="morgan")
    qset = question_set_create(
        owner=manager, name="Loop", time_limit_minutes=30, questions=QuestionFactory.create_batch(2)
    )
    now = timezone.now()
    _, token = invitation_create(
        question_set=qset, created_by=manager, email=candidate.email,
        expires_at=now + timedelta(days=1), extra_minutes=0, now=now,
    )  # fmt: skip

    page.goto(f"{site}/accounts/login/?next=/invitations/{token}/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("not an automatic verdict")).to_be_visible()
    page.get_by_role("button", name="Accept and start").click()

    with page.expect_response(lambda r: r.url.endswith("/events/")) as sent:
        page.get_by_label("Your answer").dispatch_event("paste")
    assert sent.value.status == 201
    event = IntegrityEvent.objects.get()
    assert (event.type, event.position) == ("paste", 1)
