"""Benchmark: one reminder dispatcher pass over 100k users and 1M review cards.

    .venv/bin/python bench/reminders_dispatch.py [--users 100000] [--cards-per-user 10] [--due-share 0.2]

Needs PostgreSQL (BENCH_DATABASE_URL, default `interview_bank_bench` on
127.0.0.1:5432, created if missing; its users, cards and reminders are
replaced). Generates the users with reminders enabled in five time zones
(hour 0, so every reminder hour has come), 1,000 questions and the cards,
`--due-share` of them due; then measures in one run:
  - one dispatcher pass (reviews.reminders.reminders_dispatch) with an
    enqueue that counts the messages it would put on the broker;
    wall time and peak Python memory (tracemalloc);
  - the baseline: one SQL count of distinct users with a due card.
Prints a Markdown table.
"""

import argparse
import io
import sys
import time
import tracemalloc

from benchdb import ROOT, setup_django  # noqa: E402 - a sibling module

setup_django()

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reviews.reminders import reminders_dispatch

ZONES = ["UTC", "America/New_York", "Europe/Paris", "Asia/Tokyo", "Pacific/Honolulu"]


def generate(users: int, cards_per_user: int, due_share: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reviews_reminder, reviews_reviewlog, reviews_reviewcard, reviews_reminderpreference, "
            "interviews_sessionquestion, interviews_interviewsession, authtoken_token, auth_user_groups, "
            "auth_user_user_permissions, auth_user, questions_question_tags, questions_question "
            "RESTART IDENTITY CASCADE"
        )
    call_command("import_questions", str(ROOT / "fixtures" / "bank" / "00-taxonomy.yaml"), stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO questions_question (key, category_id, title, prompt, model_answer, key_points, follow_ups,
                difficulty, expected_minutes, status, revision, created_at, updated_at)
            SELECT 'bench/q-' || n, (SELECT min(id) FROM questions_category), 'Q' || n, 'P?', 'A',
                   '["a"]'::jsonb, '[]'::jsonb, 'mid', 5, 'published', 1, now(), now()
            FROM generate_series(1, 1000) AS n
            """
        )
        cursor.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined)
            SELECT '!', false, 'user' || n, '', '', 'user' || n || '@example.com', false, true, now()
            FROM generate_series(1, %s) AS n
            """,
            [users],
        )
        cursor.execute(
            """
            INSERT INTO reviews_reminderpreference (user_id, enabled, timezone, hour, min_due, updated_at)
            SELECT id, true, (%s::text[])[1 + id %% %s], 0, 1, now() FROM auth_user
            """,
            [ZONES, len(ZONES)],
        )
        cursor.execute(
            """
            INSERT INTO reviews_reviewcard (user_id, question_id, state, step, stability, difficulty, due,
                last_review, reps, lapses, is_leech, created_at)
            SELECT u.id, q.first + ((u.id * 7 + k) %% 1000), 2, NULL, 5.0, 5.0,
                   CASE WHEN random() < %s THEN now() - interval '1 hour' ELSE now() + interval '3 days' END,
                   now() - interval '2 days', 3, 0, false, now()
            FROM auth_user u, generate_series(0, %s - 1) AS k, (SELECT min(id) AS first FROM questions_question) q
            """,
            [due_share, cards_per_user],
        )
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--cards-per-user", type=int, default=10)
    parser.add_argument("--due-share", type=float, default=0.2)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    generate(args.users, args.cards_per_user, args.due_share)
    print(f"# generated in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    now = timezone.now()

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT user_id) FROM reviews_reviewcard WHERE due <= %s", [now])
        due_users = cursor.fetchone()[0]
    count_s = time.perf_counter() - began

    messages = []
    tracemalloc.start()
    began = time.perf_counter()
    report = reminders_dispatch(now=now, enqueue=lambda ids: messages.append(len(ids)))
    dispatch_s = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    cards = args.users * args.cards_per_user
    print(
        "| users | cards | users with a due card | dispatcher pass (s) | peak Python memory (MiB) "
        "| broker messages | users per message | SQL count of due users (s) | dispatcher / count |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.users:,} | {cards:,} | {due_users:,} | {dispatch_s:.2f} | {peak / 2**20:.1f} "
        f"| {len(messages)} | {report.users_enqueued / max(1, len(messages)):.0f} | {count_s:.2f} "
        f"| {dispatch_s / count_s:.1f}x |"
    )
    assert report.users_enqueued == due_users, (report.users_enqueued, due_users)


if __name__ == "__main__":
    main()
