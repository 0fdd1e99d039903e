"""Daily review reminders: who is due one now (dispatch) and sending it once (send).

Idempotency lives in the database: a Reminder row per (user, local date),
unique, is claimed by the task that sends it, marked attempted (committed)
just before the email is handed to the mail server, and marked sent after.
A doubled beat tick or a duplicated message finds the claim and skips; a
redelivered message (same task id) takes its own claim over, and a claim left
by a worker that died is taken over once its lease runs out, but only while
no attempt is on it: an attempt nobody recorded may have been delivered, so
it is marked uncertain, logged, and never sent again (at most once; see
docs/delivery.md). A mail backend that raises proves nothing left: the
attempt is cleared and the user retried.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from interview_bank.mail import message_id
from reviews.models import Reminder, ReminderPreference
from reviews.selectors import reviewable_cards

logger = logging.getLogger(__name__)

# Longer than the send task's hard time limit: a live claim is never taken over.
CLAIM_LEASE = timedelta(minutes=15)


def reminder_local_date(*, now: datetime, timezone: str, hour: int) -> date | None:
    """The user's local date if their reminder hour has come today, else None.

    "Has come" (local time at or past the hour) rather than "is now", so a
    missed tick or a broker outage delays a reminder instead of losing it, and
    an hour skipped by a DST jump still fires that day.
    """
    local = now.astimezone(ZoneInfo(timezone))
    return local.date() if local.hour >= hour else None


def _due_counts(user_ids: Iterable[int], now: datetime) -> dict[int, int]:
    return dict(
        reviewable_cards()
        .filter(user_id__in=list(user_ids), due__lte=now)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )


@dataclass
class DispatchReport:
    users_considered: int = 0
    users_enqueued: int = 0
    messages: int = 0


def reminders_dispatch(
    *, now: datetime, enqueue: Callable[[list[int]], None], batch_size: int | None = None
) -> DispatchReport:
    """Find users whose reminder hour has come, with at least `min_due` due cards and
    no reminder yet for their local date; hand them to `enqueue` in batches.

    Pages through enabled preferences by user id; one `enqueue` per batch,
    called after the batch's transaction commits.
    """
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    report, last_user_id = DispatchReport(), 0
    while True:
        with transaction.atomic():
            prefs = list(
                ReminderPreference.objects.filter(enabled=True, user_id__gt=last_user_id)
                .order_by("user_id")
                .values_list("user_id", "timezone", "hour", "min_due")[:batch_size]
            )
            if not prefs:
                return report
            last_user_id = prefs[-1][0]
            report.users_considered += len(prefs)
            wanted = {}
            for user_id, tz, hour, min_due in prefs:
                local_date = reminder_local_date(now=now, timezone=tz, hour=hour)
                if local_date:
                    wanted[user_id] = (local_date, min_due)
            handled = set(
                Reminder.objects.filter(user_id__in=wanted, local_date__in={d for d, _ in wanted.values()})
                .filter(Q(sent_at__isnull=False) | Q(uncertain_at__isnull=False) | Q(claimed_at__gt=now - CLAIM_LEASE))
                .values_list("user_id", "local_date")
            )
            wanted = {u: v for u, v in wanted.items() if (u, v[0]) not in handled}
            counts = _due_counts(wanted, now)
            ready = [u for u, (_, min_due) in wanted.items() if counts.get(u, 0) >= min_due]
            if ready:
                report.users_enqueued += len(ready)
                report.messages += 1
                transaction.on_commit(lambda ids=ready: enqueue(ids))


def reminders_send(*, user_ids: list[int], claimant: str, now: datetime) -> list[int]:
    """Send today's reminder to each user still due one; return the ids whose email failed.

    Re-checks everything at send time (hour, due count, existing reminder),
    so a late or repeated message sends nothing twice.
    """
    prefs = {
        p.user_id: p
        for p in ReminderPreference.objects.filter(user_id__in=user_ids, enabled=True).select_related("user")
    }
    counts = _due_counts(prefs, now)
    failed = []
    for user_id in user_ids:
        pref = prefs.get(user_id)
        if pref is None or not pref.user.email:
            continue
        local_date = reminder_local_date(now=now, timezone=pref.timezone, hour=pref.hour)
        due = counts.get(user_id, 0)
        if local_date is None or due < pref.min_due:
            continue
        reminder = _claim(user_id, local_date, claimant, now, due)
        if reminder is None:
            continue
        if not _deliver(reminder, reminder_email(pref=pref, due=due, local_date=local_date), claimant, now):
            failed.append(user_id)
    return failed


def reminder_message_id(*, user_id: int, local_date: date) -> str:
    """The same for every attempt at one user's reminder of one local day."""
    return message_id("reminder", user_id, local_date.isoformat())


def reminder_email(*, pref: ReminderPreference, due: int, local_date: date) -> EmailMessage:
    plural = "s" if due != 1 else ""
    return EmailMessage(
        subject=f"{due} interview question{plural} due for review",
        body=(
            f"Hello {pref.user.username},\n\n"
            f"You have {due} question{plural} due for review today.\n"
            f"Review them here: {settings.REVIEWS_URL}\n\n"
            f"You get this once a day at {pref.hour:02d}:00 ({pref.timezone}); "
            "change or turn it off in your reminder settings.\n"
        ),
        to=[pref.user.email],
        headers={"Message-ID": reminder_message_id(user_id=pref.user_id, local_date=local_date)},
    )


def _deliver(reminder: Reminder, email: EmailMessage, claimant: str, now: datetime) -> bool:
    """Hand `email` over at most once; False only when the mail backend proved it did not take it."""
    connection = get_connection()
    try:
        connection.open()  # a refused connection hands nothing over
    except Exception:  # noqa: BLE001 - any backend failure before the hand-over is retried by the task
        logger.exception("reminder to user %s: mail server unreachable; will retry", reminder.user_id)
        return False
    try:
        # Committed (autocommit) before the hand-over, so whoever finds it unrecorded knows an
        # email may have left and sends no second one.
        attempted = Reminder.objects.filter(
            pk=reminder.pk,
            claimed_by=claimant,
            attempted_at__isnull=True,
            sent_at__isnull=True,
            uncertain_at__isnull=True,
        ).update(attempted_at=now)
        if not attempted:
            return True  # another task took the claim over meanwhile: it is theirs now
        try:
            delivered = connection.send_messages([email])
        except SoftTimeLimitExceeded:
            raise  # stopped mid-hand-over: unknown, so the attempt stays and turns uncertain
        except Exception:  # noqa: BLE001 - the backend raised: the message was refused, not delivered
            logger.exception("reminder to user %s refused by the mail backend; will retry", reminder.user_id)
            delivered = 0
        if not delivered:
            Reminder.objects.filter(pk=reminder.pk, claimed_by=claimant, sent_at__isnull=True).update(attempted_at=None)
            return False
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=now)
        return True
    finally:
        with contextlib.suppress(Exception):  # a failed QUIT changes nothing about what was sent
            connection.close()


def _claim(user_id: int, local_date: date, claimant: str, now: datetime, due: int) -> Reminder | None:
    """Take the (user, date) claim for `claimant`, or None if it is sent, uncertain, attempted or someone else's."""
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                user_id=user_id,
                local_date=local_date,
                defaults={"claimed_by": claimant, "claimed_at": now, "due_count": due},
            )
    except IntegrityError:  # a concurrent claim won the insert
        return None
    if created:
        return reminder
    if reminder.sent_at is not None or reminder.uncertain_at is not None:
        return None
    if reminder.claimed_by != claimant and reminder.claimed_at > now - CLAIM_LEASE:
        return None
    if reminder.attempted_at is not None:
        # Its task died between the hand-over and recording it (or before it could tell):
        # the email may have left, and "never twice" wins over "never lost".
        marked = Reminder.objects.filter(
            pk=reminder.pk, sent_at__isnull=True, uncertain_at__isnull=True, attempted_at=reminder.attempted_at
        ).update(uncertain_at=now)
        if marked:
            logger.warning(
                "uncertain delivery: reminder to user %s for %s was handed to the mail server at %s by task %s "
                "and never recorded as sent; not sending it again",
                user_id,
                local_date,
                reminder.attempted_at.isoformat(),
                reminder.claimed_by,
            )
        return None
    taken = Reminder.objects.filter(
        pk=reminder.pk,
        sent_at__isnull=True,
        attempted_at__isnull=True,
        claimed_by=reminder.claimed_by,
        claimed_at=reminder.claimed_at,
    ).update(claimed_by=claimant, claimed_at=now, due_count=due)
    return reminder if taken else None
