"""SITE_URL and REVIEWS_URL follow HOST and PORT unless set (issue 12).

Settings are read at import, so each case imports them in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_URLS = (
    "import json; from interview_bank import settings as s; "
    "print(json.dumps([s.SITE_URL, s.REVIEWS_URL, s.HOST, s.PORT]))"
)


def _urls(**env) -> list:
    # Empty values win over a developer's .env (read with overwrite=False) and count as unset.
    base = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "SITE_URL", "REVIEWS_URL")}
    full = {**base, "SITE_URL": "", "REVIEWS_URL": "", **env}
    if "HOST" not in env:
        full["HOST"] = "127.0.0.1"
    if "PORT" not in env:
        full["PORT"] = "8000"
    result = subprocess.run(  # noqa: S603 - our own interpreter and a constant script
        [sys.executable, "-c", PRINT_URLS], cwd=ROOT, env=full, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "18231"}, "http://127.0.0.1:18231"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104 - bind-all is no link
        ({"HOST": "::1", "PORT": "8080"}, "http://[::1]:8080"),
    ],
)
def test_site_url_is_derived_from_host_and_port_when_unset(env, site_url):
    assert _urls(**env)[:2] == [site_url, f"{site_url}/reviews/"]


def test_an_explicit_site_url_wins_over_host_and_port_and_drives_reviews_url():
    site, reviews, *_ = _urls(SITE_URL="https://bank.example.com/", PORT="18231")
    assert (site, reviews) == ("https://bank.example.com", "https://bank.example.com/reviews/")


def test_an_explicit_reviews_url_is_kept():
    assert _urls(REVIEWS_URL="https://app.example.com/r/")[1] == "https://app.example.com/r/"


def test_a_port_that_is_not_a_number_fails_loudly():
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _urls(PORT="eighty")
    assert "invalid literal for int" in failure.value.stderr
