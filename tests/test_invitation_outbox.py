"""Invitation emails through the outbox: at least once, token sealed, never in a broker message."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from hiring import tokens
from hiring.models import Invitation, InvitationEmail
from hiring.outbox import CLAIM_LEASE, invitation_outbox_drain
from hiring.services import invitation_accept, invitation_create, invitation_revoke, question_set_create
from hiring.tasks import drain_invitation_outbox, send_invitation
from tests.factories import QuestionFactory

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"

pytestmark = pytest.mark.django_db


@pytest.fixture
def question_set(hiring_manager):
    return question_set_create(
        owner=hiring_manager, name="Loop", time_limit_minutes=20, questions=QuestionFactory.create_batch(2)
    )


def invite(question_set, email="casey@example.com", **kwargs):
    """An invitation whose after-commit message never reached a broker."""
    with mock.patch("hiring.services.enqueue_on_commit"):
        return invitation_create(
            question_set=question_set, created_by=question_set.owner, email=email, now=T0, **kwargs
        )


def row_text(model) -> str:
    return str(list(model.objects.values()))


def links_by_recipient() -> dict[str, list[str]]:
    found = {}
    for message in mail.outbox:
        link = next(line for line in message.body.splitlines() if "/invitations/" in line)
        found.setdefault(message.to[0], []).append(link)
    return found


class TestWrittenWithTheInvitation:
    def test_the_outbox_row_commits_with_the_invitation_and_holds_the_token_only_sealed(self, question_set):
        invitation, token = invite(question_set)
        outbox = InvitationEmail.objects.get(invitation=invitation)
        secret = token.partition(".")[2]
        for text in (row_text(Invitation), row_text(InvitationEmail)):
            assert token not in text and secret not in text
        assert outbox.done_at is None and outbox.next_attempt_at == T0
        assert tokens.token_unseal(outbox.sealed_token) == token

    def test_a_rolled_back_invitation_leaves_no_outbox_row(self, question_set):
        with pytest.raises(RuntimeError), transaction.atomic():
            invite(question_set)
            raise RuntimeError("the caller's transaction fails")
        assert not Invitation.objects.exists() and not InvitationEmail.objects.exists()

    def test_no_broker_message_carries_the_token(self, question_set, django_capture_on_commit_callbacks):
        with (
            mock.patch("interview_bank.queue.enqueue_now") as enqueue,
            django_capture_on_commit_callbacks(execute=True),
        ):
            invitation, token = invitation_create(
                question_set=question_set, created_by=question_set.owner, email="casey@example.com", now=T0
            )
        assert enqueue.call_args == mock.call(send_invitation, invitation.pk)
        assert token.partition(".")[2] not in repr(enqueue.call_args_list)

    def test_a_rotated_secret_key_still_opens_what_the_old_one_sealed(self, settings):
        sealed = tokens.token_seal("abc.def")
        settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
        settings.SECRET_KEY = "a-new-key-" + "x" * 50
        assert tokens.token_unseal(sealed) == "abc.def"


class TestDrain:
    def test_pending_emails_are_sent_once_with_their_own_link_and_the_sealed_token_is_wiped(self, question_set):
        sent = {email: invite(question_set, email=email)[1] for email in ("a@example.com", "b@example.com")}
        assert invitation_outbox_drain(now=T0 + timedelta(minutes=1)) == 2
        assert invitation_outbox_drain(now=T0 + timedelta(minutes=2)) == 0
        with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
            for invitation in Invitation.objects.all():
                assert send_invitation.run(invitation.pk) is False  # a late fast-path message sends nothing
        assert links_by_recipient() == {email: [tokens.invitation_url(token)] for email, token in sent.items()}
        assert set(InvitationEmail.objects.values_list("outcome", "sealed_token")) == {("sent", "")}
        assert all(i.emailed_at == T0 + timedelta(minutes=1) for i in Invitation.objects.all())

    def test_revoked_expired_and_accepted_invitations_are_not_emailed_and_their_tokens_wiped(
        self, question_set, candidate
    ):
        revoked, _ = invite(question_set, email="r@example.com")
        invitation_revoke(invitation_id=revoked.pk, user=question_set.owner, now=T0)
        invite(question_set, email="e@example.com", expires_at=T0 + timedelta(minutes=30))
        _, accepted_token = invite(question_set, email=candidate.email)
        invitation_accept(token=accepted_token, user=candidate, now=T0)  # the manager shared the link directly
        assert invitation_outbox_drain(now=T0 + timedelta(hours=1)) == 0
        assert mail.outbox == []
        assert sorted(InvitationEmail.objects.values_list("outcome", "sealed_token")) == [
            ("accepted", ""),
            ("expired", ""),
            ("revoked", ""),
        ]

    def test_a_live_claim_keeps_other_senders_off_until_its_lease_runs_out(self, question_set):
        invitation, token = invite(question_set)
        # A sender claimed it at T0 and died after handing the email over, before recording it.
        InvitationEmail.objects.update(claimed_by="dead", claimed_until=T0 + CLAIM_LEASE)
        assert invitation_outbox_drain(now=T0 + timedelta(minutes=1)) == 0
        with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
            assert send_invitation.run(invitation.pk) is False
        assert mail.outbox == []
        # At least once: once the lease runs out the email is sent again (same Message-ID).
        assert invitation_outbox_drain(now=T0 + CLAIM_LEASE) == 1
        assert links_by_recipient() == {"casey@example.com": [tokens.invitation_url(token)]}

    def test_a_mail_failure_keeps_the_email_pending_with_backoff_and_a_later_drain_sends_it(self, question_set):
        invite(question_set)
        with mock.patch(LOCMEM_SEND, side_effect=ConnectionError("SMTP down")):
            assert invitation_outbox_drain(now=T0) == 0
        outbox = InvitationEmail.objects.get()
        assert outbox.done_at is None and outbox.sealed_token and outbox.attempts == 1
        assert outbox.next_attempt_at == T0 + timedelta(seconds=30) and "SMTP down" in outbox.last_error
        assert invitation_outbox_drain(now=T0 + timedelta(seconds=10)) == 0  # backing off
        assert invitation_outbox_drain(now=T0 + timedelta(seconds=30)) == 1
        assert len(mail.outbox) == 1

    def test_invitation_emails_carry_a_deterministic_message_id(self, question_set, settings):
        settings.SITE_URL = "https://bank.example.org"
        invitation, _ = invite(question_set)
        invitation_outbox_drain(now=T0)
        assert mail.outbox[0].message()["Message-ID"] == f"<invitation.{invitation.pk}@bank.example.org>"

    def test_the_drain_is_a_beat_task_every_minute(self, settings, question_set):
        assert settings.CELERY_BEAT_SCHEDULE["drain-invitation-outbox"] == {
            "task": "hiring.drain_invitation_outbox",
            "schedule": 60.0,
        }
        invite(question_set)
        with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
            assert drain_invitation_outbox.run() == 1

    def test_a_message_queued_before_the_outbox_existed_is_sealed_into_it_and_sent(self, question_set):
        invitation, token = invite(question_set)
        InvitationEmail.objects.all().delete()  # as for an invitation made by the previous version
        with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
            assert send_invitation.run(invitation.pk, token) is True
        assert links_by_recipient() == {"casey@example.com": [tokens.invitation_url(token)]}
        assert InvitationEmail.objects.get().sealed_token == ""
