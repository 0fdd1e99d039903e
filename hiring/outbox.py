"""Invitation emails through a transactional outbox: at least once, never lost while the broker is down.

`invitation_create` writes an InvitationEmail row (the token sealed) in the
invitation's own transaction. Its after-commit message (`hiring.send_invitation`,
the invitation id only) is the fast path; the beat task
`hiring.drain_invitation_outbox` sends whatever is still pending, so a broker
outage or a lost message only delays the email. A sender claims a row with a
lease (a conditional UPDATE), so two workers or beat ticks never send it at
once; a sender killed after the hand-over leaves its lease to run out and the
email is sent again (the same Message-ID lets mail servers drop the copy).
"""

import contextlib
import logging
import uuid
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q

from hiring.models import Invitation, InvitationEmail
from hiring.tokens import invitation_url, token_seal, token_unseal
from interview_bank.mail import message_id

logger = logging.getLogger(__name__)

# Longer than the send task's hard time limit (60 s): a live sender is never overtaken.
CLAIM_LEASE = timedelta(minutes=5)
RETRY_MAX = timedelta(minutes=10)
DRAIN_BATCH = 200


def invitation_outbox_add(*, invitation: Invitation, token: str, now: datetime) -> InvitationEmail:
    """Queue the invitation's email in the caller's transaction; the token is stored sealed only."""
    return InvitationEmail.objects.create(
        invitation=invitation, sealed_token=token_seal(token), created_at=now, next_attempt_at=now
    )


def invitation_message_id(*, invitation_id: int) -> str:
    return message_id("invitation", invitation_id)


def invitation_email(*, invitation: Invitation, token: str) -> EmailMessage:
    return EmailMessage(
        subject=f"You are invited to a mock interview: {invitation.question_set.name}",
        body=(
            f"{invitation.created_by.username} invites you to a timed interview "
            f"({invitation.time_limit_minutes} minutes).\n\n"
            f"Sign in with this email address ({invitation.email}) and open:\n{invitation_url(token)}\n\n"
            f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC and starts one session.\n"
        ),
        to=[invitation.email],
        headers={"Message-ID": invitation_message_id(invitation_id=invitation.pk)},
    )


def _claimable(now: datetime):
    return InvitationEmail.objects.filter(done_at__isnull=True, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def invitation_email_send(*, invitation_id: int, now: datetime) -> bool:
    """Send the invitation's pending email if no one else holds it; True if this call sent it.

    Revoked, expired or accepted invitations are not emailed; their row is
    closed with that outcome. A mail failure releases the claim with backoff.
    """
    claimant = uuid.uuid4().hex
    claimed = (
        _claimable(now)
        .filter(invitation_id=invitation_id)
        .update(claimed_by=claimant, claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # sent, closed, backing off, or another sender holds it
    outbox = InvitationEmail.objects.select_related("invitation__question_set", "invitation__created_by").get(
        invitation_id=invitation_id
    )
    invitation = outbox.invitation
    status = invitation.status_at(now)
    if invitation.emailed_at or status != Invitation.Status.PENDING:
        _close(outbox, outcome=InvitationEmail.Outcome.SENT if invitation.emailed_at else status, now=now)
        return False
    try:
        email = invitation_email(invitation=invitation, token=token_unseal(outbox.sealed_token))
        email.send()
    except InvalidToken:
        # SECRET_KEY changed without SECRET_KEY_FALLBACKS: kept, so restoring the key sends it.
        logger.error("invitation %s: the sealed token cannot be opened with the current keys", invitation_id)
        _release(outbox, claimant=claimant, error="sealed token unreadable with the current SECRET_KEY", now=now)
        return False
    except Exception as exc:  # noqa: BLE001 - any mail failure: the outbox keeps it for the next drain
        logger.warning("invitation %s email failed (attempt %s); will retry: %r", invitation_id, outbox.attempts, exc)
        _release(outbox, claimant=claimant, error=repr(exc), now=now)
        return False
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).update(emailed_at=now)
        _close(outbox, outcome=InvitationEmail.Outcome.SENT, now=now)
    return True


def _close(outbox: InvitationEmail, *, outcome: str, now: datetime) -> None:
    """Done: the sealed token is wiped, so nothing can send it again."""
    InvitationEmail.objects.filter(pk=outbox.pk).update(
        done_at=now, outcome=outcome, sealed_token="", claimed_by="", claimed_until=None
    )


def _release(outbox: InvitationEmail, *, claimant: str, error: str, now: datetime) -> None:
    backoff = min(RETRY_MAX, timedelta(seconds=30 * 2 ** (outbox.attempts - 1)))
    InvitationEmail.objects.filter(pk=outbox.pk, claimed_by=claimant).update(
        claimed_by="", claimed_until=None, next_attempt_at=now + backoff, last_error=error[:200]
    )


def invitation_outbox_drain(*, now: datetime, batch_size: int = DRAIN_BATCH) -> int:
    """Send up to `batch_size` pending invitation emails (oldest due first); return how many were sent."""
    due = list(_claimable(now).order_by("next_attempt_at", "id").values_list("invitation_id", flat=True)[:batch_size])
    sent = 0
    for invitation_id in due:
        with contextlib.suppress(InvitationEmail.DoesNotExist):  # deleted with its set meanwhile
            sent += invitation_email_send(invitation_id=invitation_id, now=now)
    return sent
