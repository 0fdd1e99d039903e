"""Benchmark: full-text search of the question list at 1M questions (issue 13).

    .venv/bin/python bench/search.py [--size 1000000] [--runs 200] [--reuse] [--drop]

Needs PostgreSQL: BENCH_DATABASE_URL, default a database `ib_fts_bench` on
127.0.0.1:5432, created if missing (`--drop` drops it at the end). It
generates `--size` published questions whose titles (6 words) and prompts
(30 words) are drawn from a 20,000-word vocabulary with Zipf-like
frequencies (the i-th word about 1/i as often as the first), so terms range
from in most questions to in a few hundred, and loads them with COPY. Then,
with the database and this process warm, it times per query:

  - sql page: page 1 of 20 for a candidate through the ORM from
    questions.search.search_questions, the number of matches known (as the
    list knows it from its count, which also picks rank or id order);
  - sql count: the exact count of the matches (what the paginator runs, and
    caches per bank version and filter);
  - api uncached: GET /api/v1/questions/?search=... as a candidate through
    Django's test client with the read cache emptied before each call (the
    first request after a bank change);
  - api cached: the same request again (what every later request costs).

Then, to choose questions.search.RANK_LIMIT, page 1 of words with about
1k, 3k, 10k and 33k matches, forced ranked and forced by id.

Prints Markdown tables (p50 and p99 in ms, matches) and writes each
query's EXPLAIN ANALYZE to var/bench-search-explain.txt.
"""

import argparse
import io
import math
import os
import random
import statistics
import time

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ib_fts_bench")

from benchdb import BENCH_DB, ROOT, setup_django, timed  # noqa: E402 - a sibling module

setup_django(THROTTLE_USER="100000000/min")  # a benchmark is not abuse: no throttling

import psycopg  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.services import user_register  # noqa: E402
from questions.api.caching import read_cache  # noqa: E402
from questions.models import Category, Question  # noqa: E402
from questions.pools import bank_version_bump  # noqa: E402
from questions.search import search_questions  # noqa: E402

# The most frequent words, most frequent first; the rest of the vocabulary is made up.
COMMON = (
    "data service request database query index cache latency replica queue shard consistency "
    "transaction lock partition stream event schema cluster node network client server memory "
    "write read storage design system api rate limit retry timeout failure load balancer thread "
    "process worker message broker topic log metric trace deploy container kubernetes docker "
    "scale throughput backpressure idempotent key value store table column row join primary "
    "foreign constraint isolation snapshot vacuum replication leader follower election quorum "
    "consensus raft paxos clock vector hash ring bloom filter tree btree heap sort merge search "
    "token session cookie auth password secret certificate tls encryption signature"
).split()
VOCABULARY_SIZE = 20_000
TITLE_WORDS, PROMPT_WORDS = 6, 30

QUERIES = {
    "rare term": "zorvakine",  # replaced below by a word ranked ~10,000th
    "common term": "index",
    "two words": "cache latency",
    "phrase": '"read replica"',
    "websearch": "shard -lock",
}


def vocabulary() -> list[str]:
    rng = random.Random(13)
    syllables = "ka lo mi ne ru sa ti vo ze bal cor den fir gul han jor kes lum mar nor pel quin rov sut".split()
    words, seen = list(COMMON), set(COMMON)
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(3, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate_bank(size: int) -> None:
    """Replace the bank with `size` published generated questions over the taxonomy's categories."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE interviews_sessionquestion, interviews_interviewsession, "
            "questions_question_tags, questions_question RESTART IDENTITY CASCADE"
        )
    call_command("import_questions", str(ROOT / "fixtures" / "bank" / "00-taxonomy.yaml"), stdout=io.StringIO())
    categories = list(Category.objects.order_by("id").values_list("id", flat=True))
    words = vocabulary()
    cumulative = list(_zipf_cumulative(len(words)))
    rng = random.Random(1)
    started = time.perf_counter()
    with psycopg.connect(BENCH_DB, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("DROP INDEX IF EXISTS question_search_vector_idx")  # built once after the load, faster
        columns = (
            "key, category_id, title, prompt, model_answer, key_points, follow_ups, difficulty, "
            "expected_minutes, status, revision, created_at, updated_at"
        )
        with conn.cursor().copy(f"COPY questions_question ({columns}) FROM STDIN") as copy:
            for n in range(1, size + 1):
                drawn = rng.choices(words, cum_weights=cumulative, k=TITLE_WORDS + PROMPT_WORDS)
                title = " ".join(drawn[:TITLE_WORDS]).capitalize()
                prompt = " ".join(drawn[TITLE_WORDS:]).capitalize() + "?"
                copy.write_row(
                    (f"bench/q-{n}", categories[n % len(categories)], title, prompt, f"Answer {n}",
                     '["a", "b", "c"]', "[]", ("junior", "mid", "senior")[n % 3], 5, "published", 1,
                     "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
                )  # fmt: skip
        print(f"loaded {size:,} questions in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        conn.execute("CREATE INDEX question_search_vector_idx ON questions_question USING gin (search_vector)")
        conn.execute("VACUUM ANALYZE questions_question")
        print(f"indexed and analysed in {time.perf_counter() - started:.0f} s", flush=True)
    bank_version_bump()


def _zipf_cumulative(n: int):
    total = 0.0
    for i in range(1, n + 1):
        total += 1 / i
        yield total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def warm_then_timed(call, runs: int) -> list[float]:
    call()
    return timed(call, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the bank if it already has --size questions")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not (args.reuse and Question.objects.count() == args.size):
        generate_bank(args.size)
    QUERIES["rare term"] = vocabulary()[10_000]

    from django.contrib.auth.models import User

    user = User.objects.filter(username="bench-candidate").first() or user_register(
        username="bench-candidate", email="bench@example.com", password="correct horse battery staple"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user.auth_token.key}")
    published = Question.objects.filter(status=Question.Status.PUBLISHED)

    rows, explains = [], []
    for name, text in QUERIES.items():
        matches = search_questions(published, text, ranked=False).count()
        found = search_questions(published, text, count=lambda _, matches=matches: matches)

        def page(text=text, matches=matches):  # the count known, as the list's cache knows it
            return list(search_questions(published, text, count=lambda _: matches).values("id", "title")[:20])

        def count(text=text):  # what the paginator counts (ordering dropped)
            return search_questions(published, text, ranked=False).count()

        def uncached(text=text):
            read_cache.clear()
            cache.clear()
            response = client.get("/api/v1/questions/", {"search": text})
            assert response.status_code == 200, response.content
            return response

        def cached(text=text):
            response = client.get("/api/v1/questions/", {"search": text})
            assert response.status_code == 200, response.content
            return response

        assert uncached().json()["count"] == matches
        results = {
            "sql page": warm_then_timed(page, args.runs),
            "sql count": warm_then_timed(count, args.runs),
            "api uncached": warm_then_timed(uncached, args.runs),
            "api cached": warm_then_timed(cached, args.runs),
        }
        rows.append((name, text, matches, results))
        plan = found.values("id", "title")[:20].explain(analyze=True, buffers=True)
        sql, params = found.order_by().values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            # The count's plan: the same matches, counted (SQL from the ORM, not from input).
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) AS matches", params)  # noqa: S608
            count_plan = "\n".join(line for (line,) in cursor.fetchall())
        explains.append(f"== {name}: {text} ({matches:,} matches)\n-- page\n{plan}\n-- count\n{count_plan}\n")

    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-search-explain.txt").write_text("\n".join(explains))
    size = Question.objects.count()
    print(f"\n{size:,} questions, {args.runs} runs per measure, milliseconds\n")
    print("| query | search | matches | sql page p50 | sql page p99 | sql count p50 | sql count p99 "
          "| api uncached p50 | api uncached p99 | api cached p50 | api cached p99 |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, text, matches, results in rows:
        cells = []
        for measure in ("sql page", "sql count", "api uncached", "api cached"):
            values = results[measure]
            cells += [f"{statistics.median(values):.2f}", f"{percentile(values, 0.99):.2f}"]
        print(f"| {name} | `{text}` | {matches:,} | " + " | ".join(cells) + " |")

    print("\nPage 1 ordered by rank or by id, by number of matches (ms)\n")
    print("| word | matches | ranked p50 | ranked p99 | by id p50 | by id p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    words = vocabulary()
    for position in (3400, 1100, 340, 100):
        word = words[position]
        matches = search_questions(published, word, ranked=False).count()
        cells = []
        for forced in (0, 10**9):  # a count under / over any limit: ranked / by id
            found = search_questions(published, word, count=lambda _, forced=forced: forced)
            times = warm_then_timed(lambda found=found: list(found.values("id", "title")[:20]), args.runs)
            cells += [f"{statistics.median(times):.2f}", f"{percentile(times, 0.99):.2f}"]
        print(f"| `{word}` | {matches:,} | " + " | ".join(cells) + " |")

    if args.drop:
        connection.close()
        name = BENCH_DB.rsplit("/", 1)[1]
        with psycopg.connect(BENCH_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}"')
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
