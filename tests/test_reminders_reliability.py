"""Reminders against real Redis and a real Celery worker process (SPEC §6).

These need PostgreSQL (the worker shares the test database, so the tests
commit) and Redis; CI (.ci/run) provides both. They run one at a time on
one xdist worker (group "celery").
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q

from hiring.models import Invitation, InvitationEmail
from hiring.services import question_set_create
from hiring.tasks import drain_invitation_outbox
from reviews.models import Reminder, ReminderPreference
from reviews.services import card_rate
from reviews.tasks import send_reminders
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.services import skip_or_fail_without

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery"),
    pytest.mark.postgres,
]


@pytest.fixture(autouse=True)
def _services():
    missing = None
    if connection.vendor != "postgresql":
        missing = "PostgreSQL (a worker process must share the test database)"
    elif not settings.CELERY_BROKER_URL.startswith("redis://"):
        missing = "Redis as the Celery broker (CELERY_BROKER_URL or REDIS_URL)"
    skip_or_fail_without(missing)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(broker_url, queue, mail_dir, slow_mail_seconds=0.2):
    """Environment of a process sharing the test database, a broker and a queue."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": "3",  # redeliver unacked messages quickly
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "CELERY_UNACKED_MUTEX_EXPIRE": "2",  # a killed worker may die holding the sweep's lock
        "EMAIL_BACKEND": "tests.slow_mail.SlowFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SLOW_MAIL_SECONDS": str(slow_mail_seconds),
        "DEBUG": "false",
    }


def beat(env, code="dispatch_reminders()"):
    """What celery beat does: run the dispatcher in a process of its own (fresh Celery config)."""
    script = f"from reviews.tasks import dispatch_reminders, send_reminders; print({code})"
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


class Worker:
    """A `celery worker` process on the test database and a given broker and queue."""

    def __init__(self, broker_url, queue, mail_dir, slow_mail_seconds=0.2, env=None, pool="solo"):
        env = env or service_env(broker_url, queue, mail_dir, slow_mail_seconds)
        self.log = open(mail_dir.parent / f"worker-{uuid.uuid4().hex[:6]}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "interview_bank",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                "1",
                "-Q",
                queue,
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pool_children(self) -> list[int]:
        """Pids of the prefork pool's processes (the ones that run tasks)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def messages(mail_dir: Path) -> list[str]:
    """Every complete message the file backend wrote (one file per connection, a rule of dashes after each)."""
    found = []
    for path in mail_dir.glob("*"):
        found += [m for m in path.read_text().split("-" * 79) if re.search(r"^To: ", m, flags=re.MULTILINE)]
    return found


def recipients(mail_dir: Path) -> list[str]:
    found = []
    for path in mail_dir.glob("*"):
        found += re.findall(r"^To: (\S+)$", path.read_text(), flags=re.MULTILINE)
    return sorted(found)


def wait_for(predicate, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def due_users(n):
    """`n` users whose 09:00 UTC reminder hour has come, each with 2 due cards."""
    category = CategoryFactory(slug="databases")
    questions = QuestionFactory.create_batch(2, category=category)
    users = []
    for i in range(n):
        user = UserFactory(username=f"rel{i}")
        ReminderPreference.objects.create(user=user, enabled=True, timezone="UTC", hour=0, min_due=1)
        for question in questions:
            card_rate(
                user=user,
                question_id=question.pk,
                rating="again",
                now=datetime.now(UTC) - timedelta(days=1),
                source="session",
            )
        users.append(user)
    return users


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def queue():
    return f"test-{uuid.uuid4().hex[:8]}"


def test_a_doubled_beat_tick_and_a_redelivered_message_send_one_email_per_user(mail_dir, queue):
    users = due_users(4)
    env = service_env(settings.CELERY_BROKER_URL, queue, mail_dir)
    assert "'enqueued': 4" in beat(env)
    assert "'enqueued': 4" in beat(env)  # the doubled tick: a second batch message for the same users
    ids = [u.pk for u in users]
    for _ in range(2):  # the same message delivered twice
        beat(env, f"send_reminders.apply_async(args=[{ids}], task_id='redelivered-1')")
    worker = Worker(settings.CELERY_BROKER_URL, queue, mail_dir)
    try:
        assert wait_for(lambda: len(set(recipients(mail_dir))) == 4)
        time.sleep(3)  # let every queued message run
    finally:
        worker.stop()
    assert recipients(mail_dir) == sorted(u.email for u in users)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 4


def test_a_worker_killed_right_after_handing_an_email_over_sends_nobody_a_second_one(mail_dir, queue):
    users = due_users(6)
    # The mail server takes each email, then answers 0.5 s later: the kill lands in between.
    env = {**service_env(settings.CELERY_BROKER_URL, queue, mail_dir, 0.1), "SLOW_MAIL_AFTER_SECONDS": "0.5"}
    first = Worker(settings.CELERY_BROKER_URL, queue, mail_dir, env=env)
    try:
        beat(env)
        assert wait_for(lambda: len(recipients(mail_dir)) >= 2, timeout=60, interval=0.01)
        first.kill()  # SIGKILL of the whole worker, its second email handed over but not recorded
    finally:
        first.stop()
    assert len(recipients(mail_dir)) == 2
    second = Worker(settings.CELERY_BROKER_URL, queue, mail_dir, slow_mail_seconds=0.05)
    try:
        # The message comes back after the visibility timeout, with the same task id.
        assert wait_for(lambda: len(recipients(mail_dir)) == 6, timeout=60), recipients(mail_dir)
        time.sleep(2)
    finally:
        second.stop()
    assert recipients(mail_dir) == sorted(u.email for u in users)  # everyone once, nobody twice
    [uncertain] = Reminder.objects.filter(uncertain_at__isnull=False)
    assert uncertain.sent_at is None and uncertain.attempted_at is not None
    assert "uncertain delivery" in Path(second.log.name).read_text()


# Rounds run in parallel lanes (a worker and a queue each): a prefork worker notices a killed
# pool process on its 5-second maintenance timer, so lanes keep the whole test short.
KILL_LANES, KILL_ROUNDS_PER_LANE = 4, 5
SETTLED = Q(sent_at__isnull=False) | Q(uncertain_at__isnull=False)


def test_a_task_killed_right_after_each_hand_over_never_sends_twice_in_many_rounds(mail_dir, queue):
    """Each round: a fresh message, SIGKILL of the process running it just after its first email
    is handed over, and its redelivery (same task id, requeued by reject_on_worker_lost)."""
    rounds = KILL_LANES * KILL_ROUNDS_PER_LANE
    users = due_users(2 * rounds)
    lanes = []
    for lane in range(KILL_LANES):
        env = {**service_env(settings.CELERY_BROKER_URL, f"{queue}-{lane}", mail_dir, 0.02)}
        env["SLOW_MAIL_AFTER_SECONDS"] = "0.3"  # the server has it and has not answered yet
        lanes.append(Worker(settings.CELERY_BROKER_URL, f"{queue}-{lane}", mail_dir, env=env, pool="prefork"))
    killed = 0
    try:
        assert wait_for(lambda: all(w.pool_children() for w in lanes), timeout=60)
        for n in range(KILL_ROUNDS_PER_LANE):
            waiting = {}
            for lane in range(KILL_LANES):
                pair = users[2 * (n * KILL_LANES + lane) :][:2]
                task_id = f"kill-round-{n}-{lane}"
                send_reminders.apply_async(args=[[u.pk for u in pair]], queue=f"{queue}-{lane}", task_id=task_id)
                waiting[lane] = {u.email for u in pair}
            deadline = time.monotonic() + 30
            while waiting:  # kill each lane's task process as soon as its first email is handed over
                assert time.monotonic() < deadline, waiting
                handed = set(recipients(mail_dir))
                for lane in [lane for lane, emails in waiting.items() if handed & emails]:
                    for pid in lanes[lane].pool_children():
                        os.kill(pid, signal.SIGKILL)
                        killed += 1
                    del waiting[lane]
                time.sleep(0.01)
            ids = [u.pk for u in users[2 * n * KILL_LANES :][: 2 * KILL_LANES]]
            assert wait_for(lambda i=ids: Reminder.objects.filter(SETTLED, user_id__in=i).count() == len(i), timeout=30)
        time.sleep(1)  # nothing more may arrive
    finally:
        for worker in lanes:
            worker.stop()
    sent = Counter(recipients(mail_dir))
    assert [email for email, times in sent.items() if times > 1] == []  # 0 duplicates per (user, day)
    assert sorted(sent) == sorted(u.email for u in users)  # and, here, nobody without one
    assert killed >= rounds
    # Every kill landed between the hand-over and recording it: each round's first user is uncertain.
    assert Reminder.objects.filter(uncertain_at__isnull=False).count() == rounds
    logs = "".join(Path(w.log.name).read_text() for w in lanes)
    assert logs.count("uncertain delivery") == rounds


def test_invitations_made_while_the_broker_is_down_are_each_emailed_once_by_the_drain(mail_dir, queue, hiring_manager):
    question_set = question_set_create(
        owner=hiring_manager, name="Loop", time_limit_minutes=20, questions=QuestionFactory.create_batch(2)
    )
    down = service_env(f"redis://127.0.0.1:{free_port()}/0", queue, mail_dir)
    script = (
        "import json; from django.utils import timezone; from hiring.models import QuestionSet; "
        "from hiring.services import invitation_create; "
        f"qs = QuestionSet.objects.get(pk={question_set.pk}); "
        "print(json.dumps({f'cand{i}@example.com': invitation_create(question_set=qs, created_by=qs.owner, "
        "email=f'cand{i}@example.com', now=timezone.now())[1] for i in range(5)}))"
    )
    made = subprocess.run(  # noqa: S603 - our own command line; the web process, broker down
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=down,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    tokens = json.loads(made.stdout.strip().splitlines()[-1])
    assert made.stderr.count("could not enqueue hiring.send_invitation") == 5  # publishing failed, logged
    assert not Invitation.objects.filter(emailed_at__isnull=False).exists()

    worker = Worker(settings.CELERY_BROKER_URL, queue, mail_dir, slow_mail_seconds=0.05)
    try:
        for _ in range(2):  # the broker is back: two beat ticks (doubled) run the drain
            drain_invitation_outbox.apply_async(queue=queue)
        assert wait_for(lambda: len(messages(mail_dir)) == 5, timeout=60), recipients(mail_dir)
        time.sleep(2)
    finally:
        worker.stop()
    emailed = {}
    for message in messages(mail_dir):
        to = re.search(r"^To: (\S+)$", message, flags=re.MULTILINE).group(1)
        emailed.setdefault(to, []).append(re.search(r"/invitations/(\S+)/", message).group(1))
    assert emailed == {email: [token] for email, token in tokens.items()}  # 0 lost, 0 twice, the right link
    assert set(InvitationEmail.objects.values_list("outcome", "sealed_token")) == {("sent", "")}
    assert Invitation.objects.filter(emailed_at__isnull=False).count() == 5


def test_redis_down_keeps_the_api_working_and_reminders_go_out_when_it_returns(
    mail_dir, queue, settings, candidate_client, candidate, broker_url_set
):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        return subprocess.Popen(  # noqa: S603 - a private server for this test only
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    redis = start_redis()
    try:
        assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, timeout=10)
        settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}}
        users = due_users(2)
        redis.terminate()
        redis.wait(10)

        env = service_env(url, queue, mail_dir)
        # The API keeps serving: sessions, answers (which rate cards) and reviews.
        started = candidate_client.post("/api/v1/sessions/", {"count": 2}, format="json")
        assert started.status_code == 201, started.content
        answered = candidate_client.post(
            f"/api/v1/sessions/{started.data['id']}/answers/",
            {"position": 1, "answer": "x", "key_points_hit": []},
            format="json",
        )
        assert answered.status_code == 200
        assert candidate_client.get("/api/v1/reviews/due/").status_code == 200
        question_id = started.data["questions"][0]["question_id"]
        reviewed = candidate_client.post("/api/v1/reviews/", {"question_id": question_id, "rating": "good"})
        assert reviewed.status_code == 201
        broker_url_set(url)
        assert candidate_client.get("/readyz").json()["broker"].startswith("error")
        # The beat tick cannot enqueue: it logs and records nothing.
        assert "'enqueued': 2" in beat(env)
        assert not Reminder.objects.exists()

        redis = start_redis()
        assert wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, timeout=10)
        worker = Worker(url, queue, mail_dir)
        try:
            beat(env)  # the next tick, Redis back
            expected = sorted(u.email for u in users)
            assert wait_for(lambda: recipients(mail_dir) == expected, timeout=60), recipients(mail_dir)
        finally:
            worker.stop()
    finally:
        redis.terminate()
        redis.wait(10)


def test_reminders_go_out_on_the_embedded_filesystem_broker_of_make_run(mail_dir, queue, tmp_path):
    users = due_users(3)
    broker_dir = tmp_path / "broker"
    broker_dir.mkdir()
    (tmp_path / "broker-processed").mkdir()
    env = {
        **service_env("filesystem://", queue, mail_dir),
        "REDIS_URL": "",
        "CELERY_FILESYSTEM_BROKER_DIR": str(broker_dir),
    }
    worker = Worker("filesystem://", queue, mail_dir, env=env)
    try:
        assert "'enqueued': 3" in beat(env)
        assert wait_for(lambda: recipients(mail_dir) == sorted(u.email for u in users), timeout=60), recipients(
            mail_dir
        )
    finally:
        worker.stop()
