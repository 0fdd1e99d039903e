"""Benchmark: starting a session vs the naive ORDER BY random() draw, as the bank grows.

    .venv/bin/python bench/session_start.py [--sizes 1000 100000 1000000] [--runs 200]

Needs PostgreSQL (BENCH_DATABASE_URL, default a database `interview_bank_bench`
on 127.0.0.1:5432, created if missing; its question tables are replaced).
For each bank size it generates that many published questions over 12
categories x 3 difficulties, gives one candidate 500 already-seen questions,
then times, in one run:
  - start: the whole start call, POST /api/v1/sessions/ with 3 quotas
    (10 questions) and exclude_seen, through Django's test client (auth,
    validation, draw, snapshot inserts, serialisation), each call rolled
    back so the history stays at 500;
  - draw: the draw inside it (candidate history, cached pools, sampling);
  - naive: the same draw done the naive way, per quota
    `filter(published, category, difficulty).exclude(id__in=<asked ids>)
    .order_by('?')[:count]`.
Prints a Markdown table (median and p99 in ms, and ratios).
"""

import argparse
import io
import random
import statistics
import sys
import time

from benchdb import ROOT, setup_django, timed  # noqa: E402 - a sibling module

setup_django(THROTTLE_USER="100000000/min")  # a benchmark is not abuse: no throttling

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.services import user_register  # noqa: E402
from interviews.models import InterviewSession, SessionQuestion  # noqa: E402
from interviews.selectors import asked_history  # noqa: E402
from questions.models import Category, Question  # noqa: E402
from questions.pools import bank_version_bump, pool_cache  # noqa: E402
from questions.quotas import quotas_for_rules  # noqa: E402
from questions.sampling import draw_session  # noqa: E402

QUOTAS = [
    {"category": "databases", "difficulty": "senior", "count": 4},
    {"category": "caching", "difficulty": "mid", "count": 3},
    {"category": "security", "difficulty": "junior", "count": 3},
]
SEEN = 500


def generate_bank(size: int) -> None:
    """Replace the bank with `size` published questions spread over 36 pools."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE interviews_sessionquestion, interviews_interviewsession, "
            "questions_question_tags, questions_question RESTART IDENTITY CASCADE"
        )
    taxonomy = ROOT / "fixtures" / "bank" / "00-taxonomy.yaml"
    call_command("import_questions", str(taxonomy), stdout=io.StringIO())
    categories = list(Category.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO questions_question
              (key, category_id, title, prompt, model_answer, key_points, follow_ups, difficulty,
               expected_minutes, status, revision, created_at, updated_at)
            SELECT 'bench/q-' || n, (%(cats)s)[1 + (n %% %(ncat)s)],
                   'Generated question ' || n, 'Prompt ' || n || '?', 'Answer ' || n,
                   '["a", "b", "c"]'::jsonb, '[]'::jsonb,
                   (ARRAY['junior', 'mid', 'senior'])[1 + ((n / %(ncat)s) %% 3)],
                   5, 'published', 1, now(), now()
            FROM generate_series(1, %(size)s) AS n
            """,
            {"cats": categories, "ncat": len(categories), "size": size},
        )
        cursor.execute("ANALYZE questions_question")
    bank_version_bump()
    pool_cache.clear()


def seed_history(user) -> list[int]:
    """500 already-asked questions: up to half of each quota pool, the rest elsewhere."""
    in_pools, pool_ids = [], []
    for quota in QUOTAS:
        pool = list(
            Question.objects.filter(category__slug=quota["category"], difficulty=quota["difficulty"])
            .order_by("id")
            .values_list("id", flat=True)
        )
        in_pools += pool[: min(SEEN // 6, len(pool) // 2)]
        pool_ids += pool
    others = list(
        Question.objects.exclude(id__in=pool_ids).order_by("-id").values_list("id", flat=True)[: SEEN - len(in_pools)]
    )
    seen = (in_pools + others)[:SEEN]
    from django.utils import timezone

    now = timezone.now()
    for start in range(0, len(seen), 10):
        session = InterviewSession.objects.create(
            candidate=user,
            seed=start,
            time_limit_minutes=50,
            started_at=now,
            deadline=now + timezone.timedelta(minutes=50),
            status="completed",
            finished_at=now,
        )
        SessionQuestion.objects.bulk_create(
            SessionQuestion(
                session=session,
                position=i + 1,
                question_id=qid,
                revision=1,
                title="t",
                prompt="p",
                model_answer="a",
                key_points=["a"],
                category="x",
                difficulty="mid",
                expected_minutes=5,
            )
            for i, qid in enumerate(seen[start : start + 10])
        )
    return seen


def p99(samples):
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--naive-runs", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rows = []
    for size in args.sizes:
        t0 = time.perf_counter()
        generate_bank(size)
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="bench").delete()
        user = user_register(username="bench", email="bench@example.com", password="bench-pass-phrase-1")
        seed_history(user)
        print(f"# {size:,} questions generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        client = APIClient()
        client.force_authenticate(user)

        def start():
            with transaction.atomic():
                response = client.post("/api/v1/sessions/", {"quotas": QUOTAS}, format="json")
                assert response.status_code == 201, response.content
                transaction.set_rollback(True)

        def naive():
            asked = SessionQuestion.objects.filter(session__candidate=user).values("question_id")
            drawn = []
            for quota in QUOTAS:
                drawn += list(
                    Question.objects.filter(
                        status="published", category__slug=quota["category"], difficulty=quota["difficulty"]
                    )
                    .exclude(id__in=asked)
                    .order_by("?")
                    .values_list("id", flat=True)[: quota["count"]]
                )
            assert len(drawn) == 10

        def draw():
            quotas = quotas_for_rules(QUOTAS)
            drawn = draw_session(quotas, rng=random.Random(), seen=asked_history(candidate=user))
            assert len(drawn.question_ids) == 10

        cold = timed(start, 1)[0]  # builds the three pools
        timed(start, 10)
        timed(naive, 3)
        start_ms = timed(start, args.runs)
        draw_ms = timed(draw, args.runs)
        naive_ms = timed(naive, args.naive_runs)
        rows.append((size, cold, start_ms, draw_ms, naive_ms))
        print(
            f"# {size:,}: start median {statistics.median(start_ms):.2f} ms, "
            f"naive median {statistics.median(naive_ms):.2f} ms",
            file=sys.stderr,
        )

    print(
        "| bank size | start median | start p99 | first start (cold pools) | draw median | draw p99 "
        "| naive draw median | naive draw p99 | naive draw / start | naive draw / draw |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, cold, start_ms, draw_ms, naive_ms in rows:
        s_med, d_med, n_med = (statistics.median(x) for x in (start_ms, draw_ms, naive_ms))
        print(
            f"| {size:,} | {s_med:.2f} | {p99(start_ms):.2f} | {cold:.1f} | {d_med:.2f} | {p99(draw_ms):.2f} "
            f"| {n_med:.2f} | {p99(naive_ms):.2f} | {n_med / s_med:.1f}x | {n_med / d_med:.1f}x |"
        )
    print("\nTimes in milliseconds.")
    first, last = statistics.median(rows[0][2]), statistics.median(rows[-1][2])
    print(f"\nstart median grows {last / first:.2f}x from {rows[0][0]:,} to {rows[-1][0]:,} questions.")


if __name__ == "__main__":
    main()
