"""Celery tasks of the interviews app: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from interviews.services import sessions_expire_overdue


@shared_task(name="interviews.expire_sessions", acks_late=True, time_limit=120, soft_time_limit=100)
def expire_sessions() -> int:
    """Expire abandoned sessions past their deadline (idempotent; beat runs it every minute)."""
    return sessions_expire_overdue(now=timezone.now())
