"""The admin for question sets (inline ordered items and rules) and invitations (with status)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import Invitation, QuestionSet, QuestionSetItem
from tests.factories import HiringManagerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


def make_set(owner, visibility="private", name="Loop"):
    question_set = QuestionSet.objects.create(owner=owner, name=name, time_limit_minutes=30, visibility=visibility)
    for position, question in enumerate(QuestionFactory.create_batch(2), 1):
        QuestionSetItem.objects.create(question_set=question_set, position=position, question=question)
    return question_set


def test_sets_show_their_ordered_items_inline(admin_browser, hiring_manager):
    question_set = make_set(hiring_manager)
    page = admin_browser.get(f"/admin/hiring/questionset/{question_set.pk}/change/")
    assert page.status_code == 200
    assert "Question set items" in page.text and "Question set rules" in page.text


def test_another_managers_private_set_is_not_in_the_admin(admin_browser):
    other = HiringManagerFactory(username="riley")
    private, shared = make_set(other, name="Private one"), make_set(other, "shared", name="Shared one")
    listing = admin_browser.get("/admin/hiring/questionset/").text
    assert "Shared one" in listing and "Private one" not in listing
    assert admin_browser.get(f"/admin/hiring/questionset/{private.pk}/change/").status_code == 302
    assert admin_browser.get(f"/admin/hiring/questionset/{shared.pk}/change/").status_code == 200


def test_invitations_list_their_status(admin_browser, hiring_manager):
    question_set = make_set(hiring_manager)
    now = timezone.now()
    for email, fields in [
        ("pending@example.com", {}),
        ("late@example.com", {"expires_at": now - timedelta(days=1)}),
        ("gone@example.com", {"revoked_at": now}),
    ]:
        Invitation.objects.create(
            question_set=question_set,
            email=email,
            public_id=email[:12],
            secret_hash="x" * 64,
            created_by=hiring_manager,
            **{"expires_at": now + timedelta(days=3), **fields},
        )
    listing = admin_browser.get("/admin/hiring/invitation/").text
    for status in ("pending", "expired", "revoked"):
        assert status in listing
