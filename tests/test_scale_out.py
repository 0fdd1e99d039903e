"""Scale-out on loopback (issue 13): two web processes (separate gunicorn
masters, two workers each), two Celery workers and one beat, against one
PostgreSQL database and one Redis, as on several machines.

What is per process (each gunicorn worker's read-cache LRU and draw pools)
must never serve a stale bank; what is shared (PostgreSQL, the Redis cache and
broker) must carry a session from one web process to the other and hand each
reminder to exactly one worker.

Needs PostgreSQL (the processes share the test database, so the test commits)
and Redis; CI (.ci/run) provides both and fails, not skips, without them. The
processes get Redis databases of their own, SCALE_OUT_REDIS_URL (cache) and
SCALE_OUT_BROKER_URL (broker), by default numbers 10 and 11 on the suite's
Redis server, and ports from SCALE_OUT_PORTS (default 18300-18399).
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from reviews.models import Reminder, ReminderPreference, ReviewCard
from tests.factories import CategoryFactory, HiringManagerFactory, QuestionFactory, UserFactory
from tests.ports import free_ports
from tests.services import skip_or_fail_without

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = range(18300, 18400)
REMINDED_USERS = 200
# Each gunicorn master forks this many workers: each its own LRU and pools.
WORKERS_PER_WEB = 2
# Enough requests that each of a master's workers very likely answers some.
TRIES = 4 * WORKERS_PER_WEB
# The name clients use for both web processes, as behind one load balancer (the
# read cache's keys, and the links in pages, carry the host).
PUBLIC_HOST = "interview-bank.test"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # With the reliability tests, one at a time: they all start worker processes.
    pytest.mark.xdist_group("celery"),
    pytest.mark.postgres,
]


def _redis_url(variable: str, db: int) -> str:
    """The variable's URL, else database `db` on the suite's Redis server."""
    if os.environ.get(variable):
        return os.environ[variable]
    parts = urllib.parse.urlsplit(settings.REDIS_URL)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


@pytest.fixture
def redis_urls():
    missing = None
    if connection.vendor != "postgresql":
        missing = "PostgreSQL (every process must share the test database)"
    elif not settings.REDIS_URL.startswith("redis://"):
        missing = "Redis (REDIS_URL): the shared cache and the broker"
    skip_or_fail_without(missing)
    cache_url = _redis_url("SCALE_OUT_REDIS_URL", 10)
    broker_url = _redis_url("SCALE_OUT_BROKER_URL", 11)
    assert cache_url != broker_url, "the cache and the broker need Redis databases of their own"
    for url in (cache_url, broker_url):
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()  # unreachable: the test fails here
    return cache_url, broker_url


@pytest.fixture
def queue(redis_urls):
    """A queue of this run only (nothing another run left on the broker reaches these
    workers); its keys are deleted from the broker afterwards."""
    name = f"scale-out-{uuid.uuid4().hex[:8]}"
    yield name
    broker = redis.Redis.from_url(redis_urls[1], socket_connect_timeout=5)
    keys = [name, *broker.scan_iter(match=f"*{name}*", count=1000)]
    broker.delete(*keys)


class Service:
    """One process (and its children) in a process group of its own, with a log file."""

    def __init__(self, name: str, argv: list[str], env: dict, logs: Path):
        self.name = name
        self.log_path = logs / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own command lines
            argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def terminate(self) -> None:
        """SIGTERM to the group, without waiting (so all stop at once)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM to the group (a graceful stop), SIGKILL to it after 15 s, whatever happened before."""
        for signum, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                break  # the group is gone
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader has exited; children left in its group get the same signal next round.
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                break
        self._log.close()


@pytest.fixture
def services():
    """Start processes with `services.start(...)`; all are stopped at teardown, failed test or not."""

    class Services(list):
        def start(self, *args) -> Service:
            service = Service(*args)
            self.append(service)
            return service

    started = Services()
    yield started
    for service in started:
        service.terminate()
    for service in reversed(started):
        service.stop()


def wait_for(predicate, timeout: float, what: str, watched=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for service in watched:
            if not service.alive():
                pytest.fail(f"{service.name} exited ({service.process.returncode})\n{service.log()[-3000:]}")
        time.sleep(0.1)
    logs = "\n".join(f"--- {s.name} ---\n{s.log()[-2000:]}" for s in watched)
    pytest.fail(f"{what} within {timeout}s\n{logs}")


def http(port: int, method: str, path: str, token: str | None = None, body=None, headers=None):
    """(status, headers, JSON body or None) of one request to 127.0.0.1:port."""
    request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Host": PUBLIC_HOST,
            **({"Authorization": f"Token {token}"} if token else {}),
            **({"Content-Type": "application/json"} if body is not None else {}),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, got, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, got, raw = error.code, error.headers, error.read()
    return status, got, json.loads(raw) if raw and got.get("Content-Type", "").startswith("application/json") else None


def ready(port: int) -> bool:
    try:
        return http(port, "GET", "/readyz")[0] == 200
    except OSError:
        return False


def recipients(mail_dir: Path) -> list[str]:
    """Every address Django's file backend wrote a message to (a file per connection)."""
    found = []
    for path in mail_dir.glob("*"):
        found += re.findall(r"^To: (\S+)$", path.read_text(), flags=re.MULTILINE)
    return found


SENT_BATCH = re.compile(r"Task reviews\.send_reminders\[\S+\] succeeded")
BEAT_TICK = "Sending due task dispatch-review-reminders"


def users_due_a_reminder(n: int, question) -> list[str]:
    """`n` users whose reminder hour (00:00 UTC) has come, each with a card due: their emails."""
    User = get_user_model()
    run = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(username=f"due-{run}-{i}", email=f"due-{run}-{i}@example.com", password="!") for i in range(n)
    )
    now = timezone.now()
    ReminderPreference.objects.bulk_create(
        ReminderPreference(user=u, enabled=True, timezone="UTC", hour=0, min_due=1) for u in users
    )
    ReviewCard.objects.bulk_create(
        ReviewCard(
            user=u, question=question, state=ReviewCard.State.REVIEW, stability=5.0, difficulty=5.0,
            due=now - timedelta(hours=1), last_review=now - timedelta(days=2), reps=3,
        )
        for u in users
    )  # fmt: skip
    return sorted(u.email for u in users)


def test_two_web_processes_two_workers_and_one_beat_share_one_postgresql_and_one_redis(
    redis_urls, queue, services, tmp_path
):
    began = time.monotonic()
    cache_url, broker_url = redis_urls
    databases = CategoryFactory(slug="databases")
    edited, *others = QuestionFactory.create_batch(3, category=databases, difficulty="mid", title="Before the edit")
    manager = HiringManagerFactory(username="morgan")
    candidate = UserFactory(username="casey")
    reminded = users_due_a_reminder(REMINDED_USERS, others[0])

    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    mail_dir, logs = tmp_path / "mail", tmp_path / "logs"
    for folder in (mail_dir, logs, tmp_path / "var"):
        folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DEBUG": "false",
        "SECRET_KEY": "scale-out-test-" + "x" * 40,
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "VAR_DIR": str(tmp_path / "var"),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(WORKERS_PER_WEB),
        "ACCESS_LOG": "true",
        # Beat ticks every 2 s, so the test sees several (overlapping) dispatches;
        # batches of 10 users make 20 send messages for the two workers to share.
        "REMINDER_DISPATCH_SECONDS": "2",
        "REMINDER_BATCH_SIZE": "10",
        "EMAIL_BACKEND": "tests.slow_mail.SlowFileBackend",
        "SLOW_MAIL_SECONDS": "0.01",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SITE_URL", "CELERY_FILESYSTEM_BROKER_DIR", "DEV_SERVER"):
        env.pop(name, None)

    port_a, port_b = free_ports("SCALE_OUT_PORTS", PORTS, count=2)
    gunicorn = [str(BIN / "gunicorn"), "interview_bank.wsgi", "--config", str(ROOT / "gunicorn.conf.py")]
    web_a = services.start("web-a", gunicorn, {**env, "PORT": str(port_a)}, logs)
    web_b = services.start("web-b", gunicorn, {**env, "PORT": str(port_b)}, logs)
    celery = [str(BIN / "celery"), "-A", "interview_bank"]
    # Two more dispatches at once, as a second beat started by mistake would add,
    # queued before any worker runs: both scan the due users before a batch of
    # either is sent, so every due user is in two or more batch messages the two
    # workers race for (queued once workers run, a dispatch could find some users
    # already sent and skip them).
    extra_ticks = [
        subprocess.Popen(  # noqa: S603 - our own command line; ends by itself, waited for below
            [*celery, "call", "reviews.dispatch_reminders", "--queue", env["CELERY_TASK_DEFAULT_QUEUE"]],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    try:
        for call in extra_ticks:
            output, _ = call.communicate(timeout=60)
            assert call.returncode == 0, output
    finally:
        for call in extra_ticks:
            if call.poll() is None:
                os.killpg(call.pid, signal.SIGKILL)
                call.wait(10)
    workers = [
        services.start(
            f"worker-{n}",
            [*celery, "worker", "--hostname", f"scale-{n}@%h", "--concurrency", "2", "--loglevel", "INFO"],
            env,
            logs,
        )
        for n in ("a", "b")
    ]
    everything = [web_a, web_b, *workers]
    wait_for(lambda: ready(port_a) and ready(port_b), 60, "both web processes ready", everything)
    wait_for(lambda: all(" ready." in w.log() for w in workers), 60, "both workers ready", everything)
    schedule = str(tmp_path / "var" / "beat-schedule")
    beat = services.start("beat", [*celery, "beat", "--loglevel", "INFO", "--schedule", schedule], env, logs)
    everything.append(beat)
    booted = time.monotonic() - began

    # (a) An edit through A is served fresh by B on the very next request.
    lists = "/api/v1/questions/?category=databases&difficulty=mid"
    detail = f"/api/v1/questions/{edited.pk}/"
    tokens = {"candidate": candidate.auth_token.key, "hiring manager": manager.auth_token.key}
    etags = {}
    for _ in range(TRIES):  # every worker of both masters caches the bank as it is now
        for port in (port_a, port_b):
            for who, token in tokens.items():
                for path in (lists, detail):
                    status, headers, body = http(port, "GET", path, token)
                    assert status == 200, body
                    titles = [q["title"] for q in body["results"]] if path == lists else [body["title"]]
                    assert "Before the edit" in titles
                    # The same key in every process: the shared cache fills each LRU.
                    assert etags.setdefault((who, path), headers["ETag"]) == headers["ETag"]
    status, _, body = http(port_a, "PATCH", detail, tokens["hiring manager"], {"title": "Edited on A"})
    assert status == 200 and body["title"] == "Edited on A", body
    for attempt in range(TRIES):
        for who, token in tokens.items():
            status, headers, body = http(port_b, "GET", detail, token)
            assert (status, body["title"]) == (200, "Edited on A"), (attempt, who, body)
            status, headers, body = http(port_b, "GET", lists, token)
            titles = {q["id"]: q["title"] for q in body["results"]}
            assert titles[edited.pk] == "Edited on A", (attempt, who, titles)
            assert headers["ETag"] != etags[(who, lists)]
            # A client revalidating what it got before the edit gets the new body, not a 304.
            status, _, body = http(port_b, "GET", detail, token, headers={"If-None-Match": etags[(who, detail)]})
            assert (status, body["title"]) == (200, "Edited on A"), (attempt, who, status)

    # (b) A session started on A is answered on B, and A sees the answer.
    status, _, started = http(port_a, "POST", "/api/v1/sessions/", tokens["candidate"], {"count": 2})
    assert status == 201, started
    session = f"/api/v1/sessions/{started['id']}/"
    status, _, seen = http(port_b, "GET", session, tokens["candidate"])
    assert status == 200 and [q["question_id"] for q in seen["questions"]] == [
        q["question_id"] for q in started["questions"]
    ]
    status, _, revealed = http(
        port_b, "POST", f"{session}answers/", tokens["candidate"], {"position": 1, "answer": "Answered on B"}
    )
    assert status == 200, revealed
    status, _, again = http(port_a, "GET", session, tokens["candidate"])
    first = again["questions"][0]
    assert status == 200 and first["answered"] and first["answer"] == "Answered on B", first
    # The position answered on B is answered for A too: no second answer.
    status, _, _ = http(port_a, "POST", f"{session}answers/", tokens["candidate"], {"position": 1, "answer": "x"})
    assert status == 409

    # (c) Beat's ticks over 200 due users: each emailed exactly once by the two workers.
    wait_for(lambda: len(recipients(mail_dir)) >= REMINDED_USERS, 40, "every reminder sent", everything)
    # Two more ticks than so far, and at least three in all (asserted below):
    # the reminders can all be out before beat's second tick.
    ticks = max(beat.log().count(BEAT_TICK) + 2, 3)
    wait_for(lambda: beat.log().count(BEAT_TICK) >= ticks, 15, "two more beat ticks", everything)
    time.sleep(1)  # whatever those ticks enqueued has run
    sent = Counter(recipients(mail_dir))
    assert [email for email, times in sent.items() if times > 1] == []
    assert sorted(sent) == reminded
    assert Reminder.objects.filter(sent_at__isnull=False).count() == REMINDED_USERS
    for worker in workers:  # both took a share of the batches
        assert SENT_BATCH.search(worker.log()), worker.log()[-2000:]
    assert beat.log().count(BEAT_TICK) >= 3
    # Every user was handed out at least twice (the extra dispatches), yet emailed once.
    batches = {w.name: len(SENT_BATCH.findall(w.log())) for w in workers}
    assert sum(batches.values()) >= 2 * REMINDED_USERS // 10, batches
    print(
        f"scale-out: booted in {booted:.1f}s, whole test {time.monotonic() - began:.1f}s, "
        f"{beat.log().count(BEAT_TICK)} beat ticks, send batches per worker {batches}"
    )
