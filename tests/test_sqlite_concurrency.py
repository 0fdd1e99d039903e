"""The default SQLite setup serves concurrent requests without "database is locked" (SPEC §7).

Runs the real server (threaded runserver) on a SQLite file with the project's
settings (WAL, BEGIN IMMEDIATE, busy timeout) and drives it from 8 threads.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("servers")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, method=method, data=data)  # noqa: S310 - our own local server
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:300]


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_BROKER_DIR": str(tmp_path / "broker"),
        "DEBUG": "false",
        "THROTTLE_ANON": "100000/min",
        "THROTTLE_USER": "100000/min",
        "THROTTLE_AUTH": "100000/min",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "import_questions", "fixtures/bank"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if call("GET", f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(10)


def test_concurrent_writes_on_sqlite_never_fail(server):
    statuses, lock = [], threading.Lock()

    def candidate(n):
        status, body = call(
            "POST",
            f"{server}/api/v1/auth/register/",
            {"username": f"load{n}", "email": f"load{n}@example.com", "password": "a-long-pass-phrase"},
        )
        results = [status]
        token = body["token"] if status == 201 else None
        for _ in range(3):
            status, session = call("POST", f"{server}/api/v1/sessions/", {"count": 3}, token)
            results.append(status)
            if status != 201:
                continue
            for position in (1, 2, 3):
                status, _ = call(
                    "POST",
                    f"{server}/api/v1/sessions/{session['id']}/answers/",
                    {"position": position, "answer": "x", "key_points_hit": [0]},
                    token,
                )
                results.append(status)
            results.append(call("POST", f"{server}/api/v1/sessions/{session['id']}/finish/", None, token)[0])
        with lock:
            statuses.extend(results)

    threads = [threading.Thread(target=candidate, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 8 * (1 + 3 * 5)
    assert all(code in (200, 201) for code in statuses), sorted(set(statuses))
