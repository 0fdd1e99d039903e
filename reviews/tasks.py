"""Celery tasks for reminders: thin, idempotent, with explicit names and limits."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from interview_bank.queue import enqueue_now
from reviews.reminders import reminders_dispatch, reminders_send


@shared_task(name="reviews.dispatch_reminders", acks_late=True, time_limit=600, soft_time_limit=540)
def dispatch_reminders() -> dict:
    """Beat, every few minutes: enqueue one send task per batch of due users."""
    report = reminders_dispatch(now=timezone.now(), enqueue=lambda ids: enqueue_now(send_reminders, ids))
    return {
        "considered": report.users_considered,
        "enqueued": report.users_enqueued,
        "messages": report.messages,
    }


@shared_task(
    bind=True,
    name="reviews.send_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=300,
    soft_time_limit=240,
    max_retries=8,
)
def send_reminders(self, user_ids: list[int]) -> int:
    """Send today's reminder to each user (claim → email → mark sent); retry failures with backoff.

    Retries keep this task's id, so they take over their own claims; the
    longest backoff (10 min) stays under the broker's visibility timeout.
    """
    failed = reminders_send(user_ids=user_ids, claimant=self.request.id or "local", now=timezone.now())
    if failed:
        countdown = get_exponential_backoff_interval(
            factor=10, retries=self.request.retries, maximum=600, full_jitter=True
        )
        raise self.retry(args=[failed], countdown=countdown)
    return len(user_ids)
