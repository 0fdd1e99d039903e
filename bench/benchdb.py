"""Shared setup of the benchmark scripts: their own PostgreSQL database, then Django."""

import os
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_bank_bench")


def setup_django(**env) -> None:
    """Create the benchmark database if missing, point Django at it, and set it up."""
    name = BENCH_DB.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    sys.path.insert(0, str(ROOT))
    os.environ.update({"DATABASE_URL": BENCH_DB, "REDIS_URL": "", **env})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interview_bank.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")

    import django

    django.setup()


def timed(fn, runs: int) -> list[float]:
    """Milliseconds taken by each of `runs` calls of `fn`."""
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return samples
