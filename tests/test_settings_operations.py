"""Settings an operator turns for a deployment on several machines (docs/operations.md).

Settings are read at import, so each case imports them in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT = (
    "import json; from interview_bank import settings as s; "
    "print(json.dumps([s.CELERY_BEAT_SCHEDULE['dispatch-review-reminders']['schedule'], "
    "s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'), s.DATABASES['default'].get('CONN_HEALTH_CHECKS')]))"
)
POSTGRES = "postgres://app@db.internal:5432/interview_bank"


def _settings(**env) -> list:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REMINDER_DISPATCH_SECONDS", "DATABASE_URL", "DB_CONN_HEALTH_CHECKS")
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and a constant script
        [sys.executable, "-c", PRINT], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_beat_looks_for_due_reminders_every_five_minutes_unless_told_otherwise():
    assert _settings(DATABASE_URL=POSTGRES)[0] == 300.0
    assert _settings(DATABASE_URL=POSTGRES, REMINDER_DISPATCH_SECONDS="2")[0] == 2.0


def test_server_side_cursors_stay_on_unless_pgbouncer_transaction_pooling_asks_them_off():
    assert _settings(DATABASE_URL=POSTGRES)[1] is False
    assert _settings(DATABASE_URL=POSTGRES, DB_DISABLE_SERVER_SIDE_CURSORS="true")[1] is True


def test_connections_are_reused_without_a_check_query_unless_asked_for_one():
    assert _settings(DATABASE_URL=POSTGRES)[2] is False  # a round trip saved on every request
    assert _settings(DATABASE_URL=POSTGRES, DB_CONN_HEALTH_CHECKS="true")[2] is True
