"""Enqueueing Celery work after commit, without failing the caller when the broker is down."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` once the current transaction commits.

    A broker outage is logged, not raised: callers keep their state in the
    database, so the next periodic run catches up once the broker is back.
    """
    transaction.on_commit(lambda: enqueue_now(task, *args, **kwargs))


def enqueue_now(task, *args, **kwargs) -> bool:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - kombu raises several kinds for an unreachable broker
        logger.exception("could not enqueue %s; it will be retried by the next periodic run", task.name)
        return False
    return True
