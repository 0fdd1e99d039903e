"""Reminder dispatch and sending, in-process (reviews.reminders, reviews.tasks)."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.test import TestCase

from reviews.models import Reminder, ReminderPreference
from reviews.reminders import (
    CLAIM_LEASE,
    reminder_local_date,
    reminder_message_id,
    reminders_dispatch,
    reminders_send,
)
from reviews.services import card_rate
from reviews.tasks import dispatch_reminders, send_reminders
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def due_user(name, *, tz="UTC", hour=9, min_due=1, cards=2, at=datetime(2026, 1, 1, tzinfo=UTC)):
    user = UserFactory(username=name)
    ReminderPreference.objects.create(user=user, enabled=True, timezone=tz, hour=hour, min_due=min_due)
    for question in QuestionFactory.create_batch(cards):
        card_rate(user=user, question_id=question.pk, rating="again", now=at, source="session")
    return user


def run_tick(now, batch_size=500):
    """One beat tick and the send tasks it enqueued, all in-process."""
    sent = []
    # The dispatcher enqueues after commit: run those callbacks as a commit would.
    with time_machine.travel(now, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        report = reminders_dispatch(now=now, enqueue=sent.append, batch_size=batch_size)
    return report, sent


def deliver(batches, now, claimant="task-1"):
    with time_machine.travel(now, tick=False):
        for ids in batches:
            reminders_send(user_ids=ids, claimant=claimant, now=now)


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


class TestWhoGetsOne:
    def test_due_user_at_their_hour_gets_one_email_with_the_count_and_a_link(self):
        ada = due_user("ada", hour=9, cards=3)
        now = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
        _, batches = run_tick(now)
        assert batches == [[ada.pk]]
        deliver(batches, now)
        assert recipients() == ["ada@example.com"]
        assert "3 interview questions due" in mail.outbox[0].subject
        assert "http://127.0.0.1:8000/reviews/\n" in mail.outbox[0].body  # the web review page

    def test_batches_are_enqueued_only_after_commit(self, django_capture_on_commit_callbacks):
        due_user("ada")
        enqueued = []
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reminders_dispatch(now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC), enqueue=enqueued.append)
        assert enqueued == [] and len(callbacks) == 1
        callbacks[0]()
        assert len(enqueued) == 1

    def test_nobody_before_their_hour_without_enough_due_or_disabled(self):
        due_user("early", hour=10)
        due_user("few", min_due=5, cards=2)
        off = due_user("off")
        ReminderPreference.objects.filter(user=off).update(enabled=False)
        UserFactory(username="no-prefs")
        _, batches = run_tick(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
        assert batches == []

    def test_one_per_local_day_across_many_ticks(self):
        due_user("ada", hour=9)
        start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        for minutes in range(0, 60 * 40, 5):  # every 5 minutes for 40 hours
            now = start + timedelta(minutes=minutes)
            _, batches = run_tick(now)
            deliver(batches, now)
        assert recipients() == ["ada@example.com"] * 2  # 2 March and 3 March
        assert sorted(str(d) for d in Reminder.objects.values_list("local_date", flat=True)) == [
            "2026-03-02",
            "2026-03-03",
        ]

    def test_batches_are_one_message_per_batch(self):
        for i in range(7):
            due_user(f"u{i}")
        report, batches = run_tick(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), batch_size=3)
        assert [len(b) for b in batches] == [3, 3, 1]
        assert report.messages == 3 and report.users_enqueued == 7


class TestNeverTwice:
    def test_a_doubled_beat_tick_sends_once(self):
        due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, first = run_tick(now)
        _, second = run_tick(now)  # before any worker ran: both enqueue
        deliver(first, now, claimant="task-a")
        deliver(second, now, claimant="task-b")
        assert recipients() == ["ada@example.com"]

    def test_a_redelivered_message_sends_once(self):
        due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        deliver(batches, now, claimant="task-a")
        deliver(batches, now + timedelta(minutes=1), claimant="task-a")
        assert recipients() == ["ada@example.com"]

    def test_a_claim_whose_email_never_went_out_is_sent_by_its_own_redelivery(self):
        due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        with (
            mock.patch(LOCMEM_SEND, side_effect=ConnectionError("SMTP down")),
            time_machine.travel(now, tick=False),
        ):
            failed = reminders_send(user_ids=batches[0], claimant="task-a", now=now)
        assert failed == batches[0] and mail.outbox == []
        assert Reminder.objects.get().attempted_at is None  # the refusal cleared the attempt
        deliver(batches, now + timedelta(minutes=2), claimant="task-a")  # the retry keeps the task id
        assert recipients() == ["ada@example.com"]

    def test_another_tasks_live_claim_is_left_alone_and_a_stale_one_taken_over(self):
        user = due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        Reminder.objects.create(user=user, local_date=now.date(), claimed_by="dead-task", claimed_at=now)
        deliver([[user.pk]], now + timedelta(minutes=1), claimant="other")
        assert mail.outbox == []
        _, batches = run_tick(now + timedelta(minutes=5))
        assert batches == []  # a live claim: not re-enqueued either
        later = now + CLAIM_LEASE + timedelta(minutes=1)
        _, batches = run_tick(later)
        assert batches == [[user.pk]]
        deliver(batches, later, claimant="other")
        assert recipients() == ["ada@example.com"]


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


class TestKilledAroundTheHandOver:
    def kill_after_hand_over(self, user_ids, now, claimant):
        real_send = locmem.EmailBackend.send_messages

        def deliver_then_die(backend, messages):
            real_send(backend, messages)  # the mail server has it...
            raise WorkerKilled  # ...and the worker dies before recording it

        with (
            mock.patch(LOCMEM_SEND, autospec=True, side_effect=deliver_then_die),
            time_machine.travel(now, tick=False),
            pytest.raises(WorkerKilled),
        ):
            reminders_send(user_ids=user_ids, claimant=claimant, now=now)

    def test_a_redelivered_task_after_an_unrecorded_attempt_does_not_send_again(self, caplog):
        ada = due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        self.kill_after_hand_over(batches[0], now, claimant="task-a")
        assert recipients() == ["ada@example.com"]
        reminder = Reminder.objects.get()
        assert reminder.attempted_at == now and reminder.sent_at is None

        with caplog.at_level("WARNING", logger="reviews.reminders"):
            deliver(batches, now + timedelta(minutes=1), claimant="task-a")  # redelivery: same task id
        assert recipients() == ["ada@example.com"]
        reminder.refresh_from_db()
        assert reminder.uncertain_at == now + timedelta(minutes=1) and reminder.sent_at is None
        [record] = [r for r in caplog.records if "uncertain delivery" in r.getMessage()]
        assert record.levelname == "WARNING" and f"user {ada.pk}" in record.getMessage()

        # Settled: later ticks neither enqueue nor send it again, that day.
        later = now + CLAIM_LEASE + timedelta(hours=1)
        _, batches = run_tick(later)
        assert batches == []
        deliver([[ada.pk]], later, claimant="task-z")
        assert recipients() == ["ada@example.com"]

    def test_a_stale_claim_with_an_unrecorded_attempt_is_not_taken_over(self):
        due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        self.kill_after_hand_over(batches[0], now, claimant="dead-task")
        later = now + CLAIM_LEASE + timedelta(minutes=1)
        _, batches = run_tick(later)
        assert len(batches) == 1  # the dispatcher cannot tell; the send task settles it
        deliver(batches, later, claimant="new-task")
        assert recipients() == ["ada@example.com"]
        assert Reminder.objects.get().uncertain_at == later

    def test_an_unreachable_mail_server_records_no_attempt_and_is_retried(self):
        due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        with (
            mock.patch("django.core.mail.backends.locmem.EmailBackend.open", side_effect=OSError("refused")),
            time_machine.travel(now, tick=False),
        ):
            assert reminders_send(user_ids=batches[0], claimant="task-a", now=now) == batches[0]
        assert Reminder.objects.get().attempted_at is None
        deliver(batches, now + timedelta(seconds=30), claimant="task-a")
        assert recipients() == ["ada@example.com"]

    def test_every_attempt_at_a_days_reminder_carries_the_same_message_id(self, settings):
        settings.SITE_URL = "https://bank.example.org"
        ada = due_user("ada")
        now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        _, batches = run_tick(now)
        deliver(batches, now)
        expected = f"<reminder.{ada.pk}.2026-03-02@bank.example.org>"
        assert mail.outbox[0].message()["Message-ID"] == expected
        assert reminder_message_id(user_id=ada.pk, local_date=date(2026, 3, 2)) == expected
        assert reminder_message_id(user_id=ada.pk, local_date=date(2026, 3, 3)) != expected
        assert reminder_message_id(user_id=ada.pk + 1, local_date=date(2026, 3, 2)) != expected


def scan(start, hours, step_minutes=5):
    """Beat ticks every few minutes from `start` for `hours`; returns when emails went out."""
    sent_at = []
    for minutes in range(0, hours * 60, step_minutes):
        now = start + timedelta(minutes=minutes)
        _, batches = run_tick(now)
        if batches:
            deliver(batches, now)
            sent_at.append(now)
    return sent_at


class TestTimeZones:
    @pytest.mark.parametrize(
        ("tz", "local_midnight_utc", "sent_utc", "local_date"),
        [
            ("Pacific/Honolulu", "2026-03-02T10:00", "2026-03-02T19:00", "2026-03-02"),
            ("Pacific/Tongatapu", "2026-03-02T11:00", "2026-03-02T20:00", "2026-03-03"),
        ],
        ids=["UTC-10", "UTC+13"],
    )
    def test_reminders_come_at_the_users_own_hour(self, tz, local_midnight_utc, sent_utc, local_date):
        due_user("far", tz=tz, hour=9)
        start = datetime.fromisoformat(local_midnight_utc).replace(tzinfo=UTC)
        assert scan(start, hours=24) == [datetime.fromisoformat(sent_utc).replace(tzinfo=UTC)]
        assert str(Reminder.objects.get().local_date) == local_date

    @pytest.mark.parametrize(
        ("local_midnight_utc", "expected_local"),
        [
            # 8 March 2026: clocks jump 02:00 -> 03:00; 02:00 never happens that day.
            ("2026-03-07T05:00", ["03-07 02:00", "03-08 03:00", "03-09 02:00", "03-10 02:00"]),
            # 1 November 2026: 01:00-02:00 happens twice; 02:00 once.
            ("2026-10-31T04:00", ["10-31 02:00", "11-01 02:00", "11-02 02:00", "11-03 02:00"]),
        ],
        ids=["spring-forward", "fall-back"],
    )
    def test_dst_changes_neither_double_nor_skip_a_day(self, local_midnight_utc, expected_local):
        due_user("ny", tz="America/New_York", hour=2)
        start = datetime.fromisoformat(local_midnight_utc).replace(tzinfo=UTC)
        sent_at = scan(start, hours=4 * 24 - 2, step_minutes=15)
        local = [t.astimezone(ZoneInfo("America/New_York")).strftime("%m-%d %H:%M") for t in sent_at]
        assert local == expected_local
        assert len(mail.outbox) == 4

    def test_the_hour_has_come_rule(self):
        now = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT, just after the jump
        assert str(reminder_local_date(now=now, timezone="America/New_York", hour=2)) == "2026-03-08"
        assert reminder_local_date(now=now, timezone="America/New_York", hour=4) is None


class TestTasks:
    def test_dispatch_task_enqueues_after_commit_and_the_send_task_sends(self, django_capture_on_commit_callbacks):
        due_user("ada")
        with (
            mock.patch("reviews.tasks.enqueue_now") as enqueue,
            time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            result = dispatch_reminders()
        assert result == {"considered": 1, "enqueued": 1, "messages": 1}
        task, ids = enqueue.call_args.args
        assert task is send_reminders
        with time_machine.travel(datetime(2026, 3, 2, 10, 1, tzinfo=UTC), tick=False):
            assert send_reminders.apply(args=[ids]).get() == 1
        assert recipients() == ["ada@example.com"]

    def test_send_failures_retry_with_backoff_for_the_failed_users_only(self):
        ada, bob = due_user("ada"), due_user("bob")

        real_send = locmem.EmailBackend.send_messages

        def flaky(backend, messages):
            if messages[0].to == ["bob@example.com"]:
                raise ConnectionError("SMTP down")
            return real_send(backend, messages)

        with (
            mock.patch(LOCMEM_SEND, autospec=True, side_effect=flaky),
            mock.patch.object(send_reminders, "retry", side_effect=RuntimeError("retry")) as retry,
            time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False),
            pytest.raises(RuntimeError, match="retry"),
        ):
            send_reminders.run([ada.pk, bob.pk])
        assert retry.call_args.kwargs["args"] == [[bob.pk]]
        assert 0 <= retry.call_args.kwargs["countdown"] <= 600
        assert recipients() == ["ada@example.com"]

    def test_task_options_for_reliability(self, settings):
        assert send_reminders.acks_late and send_reminders.reject_on_worker_lost
        assert send_reminders.time_limit and send_reminders.soft_time_limit
        assert settings.CELERY_BEAT_SCHEDULE["dispatch-review-reminders"]["schedule"] <= 300
        # The longest retry countdown stays under the broker's visibility timeout.
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) > 600
