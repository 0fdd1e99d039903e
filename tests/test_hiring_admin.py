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


def _invitation(question_set, created_by, email, **fields):
    return Invitation.objects.create(
        question_set=question_set,
        email=email,
        public_id=email[:12],
        secret_hash="x" * 64,
        created_by=created_by,
        **{"expires_at": timezone.now() + timedelta(days=3), **fields},
    )


def test_on_a_shared_set_a_manager_lists_and_revokes_only_the_invitations_they_sent(admin_browser, hiring_manager):
    owner = HiringManagerFactory(username="riley")
    shared = make_set(owner, "shared", name="Shared one")
    owners = _invitation(shared, owner, "owners@example.com")
    mine = _invitation(shared, hiring_manager, "mine@example.com")
    listing = admin_browser.get("/admin/hiring/invitation/").text
    assert "mine@example.com" in listing and "owners@example.com" not in listing
    admin_browser.post(
        "/admin/hiring/invitation/", {"action": "revoke", "_selected_action": [owners.pk, mine.pk]}, follow=True
    )
    owners.refresh_from_db()
    mine.refresh_from_db()
    assert owners.revoked_at is None and mine.revoked_at is not None
