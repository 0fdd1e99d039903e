"""`bin/run` (what `make run` starts) serves with gunicorn, as production does
(issue 13), or with Django's development server with `--dev`, and stops every
process it started on SIGTERM or SIGINT to its process group (issue 12): web
server, Celery worker and beat."""

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_ports

ROOT = Path(__file__).resolve().parent.parent
# BIN_RUN_PORTS=lo-hi moves it (the scale-out test has a range of its own).
PORTS = range(18200, 18300)
STOP_WITHIN_SECONDS = 15


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def _wait_for(predicate, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"bin/run: {what} within {timeout}s\n--- output ---\n{log.read_text()[-4000:]}")


def _get(url: str):
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http://127.0.0.1
        return response.status, response.headers, response.read()


def _ready(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


# (how bin/run is started, the web server's command-line word, its Server header)
GUNICORN = ([], b"gunicorn", "gunicorn")
DEV_SERVER = (["--dev"], b"runserver", "WSGIServer")


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
# One at a time: a port found free is only bound once bin/run has migrated, so two
# of these on two xdist workers would pick the same one.
@pytest.mark.xdist_group("bin-run")
@pytest.mark.parametrize(
    ("signum", "server"),
    [(signal.SIGTERM, GUNICORN), (signal.SIGINT, GUNICORN), (signal.SIGTERM, DEV_SERVER)],
    ids=["gunicorn-SIGTERM", "gunicorn-SIGINT", "dev-server-SIGTERM"],
)
def test_bin_run_serves_with_gunicorn_or_the_dev_server_and_stops_everything_on_a_signal(tmp_path, signum, server):
    args, command_word, server_header = server
    [port] = free_ports("BIN_RUN_PORTS", PORTS)
    env = {
        key: value
        for key, value in os.environ.items()
        # Its own SQLite and filesystem broker, never the suite's (or CI's) databases.
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_FILESYSTEM_BROKER_DIR", "SITE_URL")
    }
    env.update(
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        HOST="127.0.0.1",
        PORT=str(port),
        DEBUG="true",
        EMAIL_URL="consolemail://",
        PYTHONUNBUFFERED="1",
    )
    for folder in ("broker", "broker-processed"):
        (tmp_path / "var" / folder).mkdir(parents=True)
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(  # noqa: S603 - the repository's own script
            [str(ROOT / "bin" / "run"), *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
            # As from a terminal: a shell started with SIGINT ignored (pytest-xdist's
            # workers may ignore it) cannot trap it, and Ctrl-C would do nothing.
            preexec_fn=_default_sigint,
        )  # fmt: skip
    started: set[int] = set()
    try:
        _wait_for(lambda: _ready(f"http://127.0.0.1:{port}/readyz"), 120, "no 200 from /readyz", log)
        _wait_for(lambda: " ready." in log.read_text(), 60, "the worker never said ready", log)
        _wait_for(lambda: "beat: Starting" in log.read_text(), 30, "beat never started", log)
        started = _descendants(run.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in started]
        web = [c for c in commands if command_word in c]
        other_word = b"runserver" if command_word == b"gunicorn" else b"gunicorn"
        assert web and not any(other_word in c for c in commands), commands
        assert any(b" worker" in c for c in commands), commands
        assert any(b" beat" in c for c in commands), commands
        status, headers, _ = _get(f"http://127.0.0.1:{port}/healthz")
        assert headers["Server"].startswith(server_header), dict(headers)
        # Static files after collectstatic, from either server (WhiteNoise).
        status, headers, body = _get(f"http://127.0.0.1:{port}/static/web/app.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css") and body
        assert (tmp_path / "var" / "db.sqlite3").exists()  # the developer's var/ is left alone

        began = time.monotonic()
        os.killpg(run.pid, signum)
        _wait_for(
            lambda: run.poll() is not None and not any(_running(pid) for pid in started),
            STOP_WITHIN_SECONDS,
            f"still running: {sorted(pid for pid in started if _running(pid))}",
            log,
        )
        stopped_in = time.monotonic() - began
        assert run.returncode == 128 + signum, log.read_text()[-2000:]
        print(f"bin/run stopped {len(started)} processes in {stopped_in:.1f}s on {signal.Signals(signum).name}")
        assert not _ready(f"http://127.0.0.1:{port}/healthz")
    finally:
        for pid in {run.pid} | started | _descendants(run.pid):
            if _running(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        run.wait(timeout=10)
        shutil.rmtree(tmp_path / "static", ignore_errors=True)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--prod"], {}, "unknown argument '--prod' (allowed: --dev)"),
        ([], {"DEV_SERVER": "maybe"}, "DEV_SERVER='maybe' (allowed: 1, true, yes, or 0, false, no, empty)"),
    ],
)
def test_bin_run_refuses_what_it_does_not_know_before_starting_anything(tmp_path, args, env, message):
    done = subprocess.run(  # noqa: S603 - the repository's own script
        [str(ROOT / "bin" / "run"), *args], cwd=ROOT, env={**os.environ, **env, "VAR_DIR": str(tmp_path / "var")},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "var").exists()  # nothing migrated, nothing started
