"""Celery tasks of the hiring app."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from hiring.models import Invitation
from hiring.tokens import invitation_url


@shared_task(
    bind=True,
    name="hiring.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OSError,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def send_invitation(self, invitation_id: int, token: str) -> bool:
    """Email the invitation link once; skipped if already sent, revoked or gone.

    The token travels in the message because only its hash is stored.
    """
    invitation = Invitation.objects.select_related("question_set", "created_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.emailed_at or invitation.revoked_at:
        return False
    send_mail(
        subject=f"You are invited to a mock interview: {invitation.question_set.name}",
        message=(
            f"{invitation.created_by.username} invites you to a timed interview "
            f"({invitation.time_limit_minutes} minutes).\n\n"
            f"Sign in with this email address ({invitation.email}) and open:\n{invitation_url(token)}\n\n"
            f"The invitation expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC and starts one session.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True
