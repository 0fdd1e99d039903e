"""Benchmark: the API served by the production server, as the bank grows.

    .venv/bin/python bench/serve.py [--sizes 0 100000 1000000] [--seconds 5] [--rounds 3]

Needs PostgreSQL (BENCH_DATABASE_URL, default `interview_bank_bench` on
127.0.0.1:5432, created if missing; its question and session tables are
replaced), Redis (BENCH_REDIS_URL, default database 15, flushed) and `wrk`
(`apt-get install wrk`). For each bank size (0 = the bundled bank alone; N =
the bundled bank copied over to N published questions, the copies keeping
their category and tags, spread over the three difficulties) it starts
gunicorn with the repo's gunicorn.conf.py (2 sync workers) on PostgreSQL and
Redis, warms it, then measures with `wrk -t1 -c8`, a candidate's token:

  - /healthz, the baseline: a trivial JSON view, no database;
  - each endpoint of issue 13, in rounds that alternate with /healthz, so
    every ratio compares runs taken minutes apart at most;
  - search with a new query on every request (no cached page to serve) and
    question detail over random ids, besides the repeated requests;
  - POST /sessions/ (3 quotas, 10 questions, exclude_seen) by 40 candidates
    in turn.

Prints a Markdown table per size (requests/s, p50 and p99 latency, ratio to
/healthz: the median of the per-round ratios) and, at the end, each
endpoint's ratio at the largest size over its ratio at the smallest.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis
from benchdb import BENCH_DB, ROOT, setup_django  # noqa: E402 - a sibling module

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.services import user_register  # noqa: E402
from questions.models import Question  # noqa: E402
from questions.pools import bank_version_bump  # noqa: E402

BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "18380"))
BASE = f"http://127.0.0.1:{PORT}"
API = "/api/v1"
SESSION_BODY = {
    "quotas": [
        {"category": "databases", "difficulty": "senior", "count": 4},
        {"category": "caching", "difficulty": "mid", "count": 3},
        {"category": "security", "difficulty": "junior", "count": 3},
    ]
}
SESSION_CANDIDATES = 40

# wrk's Lua hooks: cycle through the requests listed in BENCH_REQUESTS (one
# "method<TAB>path<TAB>token<TAB>body" per line; a JSON body has no tab or
# newline), print a JSON summary at the end.
WRK_SCRIPT = r"""
local requests, i = {}, 0
for line in io.lines(os.getenv("BENCH_REQUESTS")) do
  local method, path, token, body = line:match("^(.-)\t(.-)\t(.-)\t(.*)$")
  local headers = {["Authorization"] = "Token " .. token, ["Accept"] = "application/json"}
  if body == "" then body = nil else headers["Content-Type"] = "application/json" end
  requests[#requests + 1] = wrk.format(method, path, headers, body)
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "bad_status": %d, "timeouts": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.timeout, e.connect + e.read + e.write))
end
"""


def generate_bank(size: int) -> int:
    """Replace the bank with the bundled one, copied over to `size` questions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE interviews_sessionquestion, interviews_interviewsession, "
            "questions_question_tags, questions_question RESTART IDENTITY CASCADE"
        )
    call_command("import_questions", str(ROOT / "fixtures" / "bank"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    Question.objects.update(status=Question.Status.PUBLISHED)
    bundled = Question.objects.count()
    if size > bundled:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO questions_question
                  (key, category_id, title, prompt, model_answer, key_points, follow_ups, difficulty,
                   expected_minutes, status, revision, created_at, updated_at)
                SELECT 'bench/' || n || '/' || q.key, q.category_id, left(q.title, 190) || ' #' || n, q.prompt,
                       q.model_answer, q.key_points, q.follow_ups,
                       (ARRAY['junior', 'mid', 'senior'])[1 + (n %% 3)], q.expected_minutes, 'published', 1,
                       now(), now()
                FROM generate_series(1, %(copies)s) AS n
                JOIN questions_question q ON q.id = 1 + (n %% %(bundled)s)
                """,
                {"copies": size - bundled, "bundled": bundled},
            )
            cursor.execute(
                """
                INSERT INTO questions_question_tags (question_id, tag_id)
                SELECT c.id, t.tag_id FROM questions_question c
                JOIN questions_question_tags t ON t.question_id = 1 + ((c.id - %(bundled)s) %% %(bundled)s)
                WHERE c.id > %(bundled)s
                """,
                {"bundled": bundled},
            )
            cursor.execute("VACUUM ANALYZE questions_question")
            cursor.execute("ANALYZE questions_question_tags")
    bank_version_bump()
    return Question.objects.count()


def tokens(count: int, prefix: str) -> list[str]:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith=prefix).delete()
    return [
        user_register(
            username=f"{prefix}{i}", email=f"{prefix}{i}@example.com", password="bench-pass-phrase-1"
        ).auth_token.key
        for i in range(count)
    ]


def search_queries(count: int) -> list[str]:
    """Distinct one- and two-word queries from the bank's own titles."""
    words = sorted(
        {
            w.lower()
            for title in Question.objects.values_list("title", flat=True)[:500]
            for w in re.findall(r"[A-Za-z]{5,}", title)
        }
    )
    rng = random.Random(13)
    queries = set(words)
    while len(queries) < count:
        queries.add(f"{rng.choice(words)} {rng.choice(words)}")
    return sorted(queries)[:count]


class Server:
    """gunicorn with the repo's config, in a process group of its own."""

    def __init__(self):
        env = {
            **os.environ,
            "DATABASE_URL": BENCH_DB,
            "REDIS_URL": BENCH_REDIS,
            "CELERY_BROKER_URL": BENCH_REDIS,
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-not-a-secret-benchmark-only-not-a-secret",
            "HOST": "127.0.0.1",
            "PORT": str(PORT),
            "WEB_CONCURRENCY": "2",
            # A benchmark is not abuse, but the throttle still runs: a one-second window
            # keeps its history as short as a real client's (300/min).
            "THROTTLE_USER": "1000000/s",
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(ROOT / ".venv/bin/gunicorn"),
            "interview_bank.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
        ]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["--config", str(ROOT / "gunicorn.conf.py")]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wrk(requests: list[list], seconds: float, workdir: Path, *, timeout: str = "2s", warming: bool = False) -> dict:
    listing = workdir / "requests.txt"
    listing.write_text("".join("\t".join(part or "" for part in r) + "\n" for r in requests))
    out = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{round(seconds)}s", "--timeout", timeout, "-s", str(workdir / "wrk.lua"), BASE],
        env={**os.environ, "BENCH_REQUESTS": str(listing)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    failed = result["bad_status"] + result["timeouts"] + result["errors"]
    if failed and not warming:
        # A throughput that includes errors measures the errors.
        sys.exit(
            f"{requests[0][:2]}: of {result['requests']} requests, {result['bad_status']} answered an error status, "
            f"{result['timeouts']} timed out (2 s), {result['errors']} failed to connect, read or write"
        )
    return result


def endpoints(token: str, session_tokens: list[str], ids: list[int], queries: list[str]) -> dict[str, list[list]]:
    def get(path):
        return ["GET", path, token, None]

    return {
        "GET /questions/ (page 1)": [get(f"{API}/questions/")],
        "?category=databases&difficulty=senior": [get(f"{API}/questions/?category=databases&difficulty=senior")],
        "?search=index": [get(f"{API}/questions/?search=index")],
        "?search= a new query each request": [get(f"{API}/questions/?search={q.replace(' ', '+')}") for q in queries],
        "GET /questions/{id}/ (one id)": [get(f"{API}/questions/{ids[0]}/")],
        "GET /questions/{id}/ (random ids)": [get(f"{API}/questions/{i}/") for i in ids],
        "GET /categories/": [get(f"{API}/categories/")],
        "GET /questions/random/?count=5": [get(f"{API}/questions/random/?count=5")],
        "POST /sessions/": [["POST", f"{API}/sessions/", t, json.dumps(SESSION_BODY)] for t in session_tokens],
    }


def warm(requests: list[list]) -> None:
    for method, path, token, body in requests[:40]:
        request = urllib.request.Request(
            BASE + path,
            method=method,
            data=body.encode() if body else None,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201), (path, response.status)


def measure(size: int, args, workdir: Path) -> tuple[int, dict]:
    started = time.perf_counter()
    held = generate_bank(size)
    token = tokens(1, "bench-reader")[0]
    session_tokens = tokens(SESSION_CANDIDATES, "bench-candidate")
    rng = random.Random(size)
    ids = rng.sample(list(Question.objects.values_list("id", flat=True)), 5000 if held > 5000 else held)
    queries = search_queries(3000)
    print(f"# {held:,} questions ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    connection.close()  # the server's workers get the database to themselves

    server = Server()
    try:
        plan = endpoints(token, session_tokens, ids, queries)
        healthz = [["GET", "/healthz", token, None]]
        for requests in plan.values():
            warm(requests)  # each answers as it should...
            wrk(requests, 3, workdir, timeout="30s", warming=True)  # ...and every worker has built its caches
        results = {name: [] for name in ["/healthz", *plan]}
        for _ in range(args.rounds):
            for name, requests in plan.items():
                base = wrk(healthz, args.seconds, workdir)
                run = wrk(requests, args.seconds, workdir)
                results["/healthz"].append(base)
                results[name].append({**run, "ratio": run["rps"] / base["rps"]})
                print(f"#   {name}: {run['rps']:.0f}/s, ratio {run['rps'] / base['rps']:.3f}", file=sys.stderr)
    finally:
        server.stop()
    return held, results


def summarise(results: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in results),
        "p50_ms": statistics.median(r["p50_us"] for r in results) / 1000,
        "p99_ms": max(r["p99_us"] for r in results) / 1000,
        "ratio": statistics.median(r["ratio"] for r in results) if "ratio" in results[0] else 1.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/serve.py needs wrk: apt-get install wrk")
    call_command("migrate", verbosity=0)
    summaries = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "wrk.lua").write_text(WRK_SCRIPT)
        for size in args.sizes:
            held, results = measure(size, args, workdir)
            summaries.append((held, {name: summarise(r) for name, r in results.items()}))

    for held, table in summaries:
        print(f"\n### {held:,} questions\n")
        print("| endpoint | requests/s | p50 ms | p99 ms | ratio to /healthz |")
        print("|---|---:|---:|---:|---:|")
        for name, s in table.items():
            print(f"| `{name}` | {s['rps']:.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['ratio']:.3f} |")
    if len(summaries) > 1:
        (small, first), (large, last) = summaries[0], summaries[-1]
        print(f"\n### Ratio at {large:,} over ratio at {small:,}\n")
        print("| endpoint | ratio at small | ratio at large | large / small |")
        print("|---|---:|---:|---:|")
        for name in first:
            if name != "/healthz":
                a, b = first[name]["ratio"], last[name]["ratio"]
                print(f"| `{name}` | {a:.3f} | {b:.3f} | {b / a:.2f} |")
    print(f"\nwrk -t1 -c8, {args.rounds} rounds of {args.seconds:g} s per endpoint; p99 is the worst round's.")


if __name__ == "__main__":
    main()
