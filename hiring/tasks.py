"""Celery tasks of the hiring app: thin, over hiring.outbox."""

import logging

from celery import shared_task
from django.utils import timezone

from hiring.models import Invitation, InvitationEmail
from hiring.outbox import invitation_email_send, invitation_outbox_add, invitation_outbox_drain

logger = logging.getLogger(__name__)


@shared_task(
    name="hiring.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_invitation(invitation_id: int, legacy_token: str | None = None) -> bool:
    """The fast path after commit: send the invitation's pending outbox email now.

    The message carries the id only; the token is read (sealed) from the
    outbox. Failures need no retry here: the email stays pending and the
    periodic drain sends it. `legacy_token` is only for messages queued by
    the version before the outbox, which carried it; they are moved into the
    outbox (sealed) and sent from there.
    """
    now = timezone.now()
    if legacy_token and not InvitationEmail.objects.filter(invitation_id=invitation_id).exists():
        invitation = Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).first()
        if invitation is None:
            return False
        invitation_outbox_add(invitation=invitation, token=legacy_token, now=now)
    try:
        return invitation_email_send(invitation_id=invitation_id, now=now)
    except InvitationEmail.DoesNotExist:  # the invitation was deleted with its set
        return False


@shared_task(name="hiring.drain_invitation_outbox", acks_late=True, time_limit=300, soft_time_limit=240)
def drain_invitation_outbox() -> int:
    """Beat, every minute: send the invitation emails still pending (broker outage, lost message, failure)."""
    return invitation_outbox_drain(now=timezone.now())
