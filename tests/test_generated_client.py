"""A client generated from the live schema by openapi-python-client imports as generated and works.

The schema is what third parties build clients from: this generates one (no
network, no post-hooks), imports every module of it unchanged and drives a
candidate's whole journey through it, in process over WSGI.
"""

import importlib
import pkgutil
import subprocess
import sys

import httpx
import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from interview_bank.wsgi import application
from tests.factories import CategoryFactory, QuestionFactory

PACKAGE = "interview_bank_client"
BASE_URL = "http://testserver"


@pytest.fixture
def wsgi_transport(db):
    # Requests go straight to the WSGI app, not through Django's test client:
    # detach the per-request connection cleanup as that client does, or it
    # would close the connection holding the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory):
    """The generated package, imported from a temporary directory (generated once per module)."""
    tmp_path = tmp_path_factory.mktemp("generated")
    schema = Client().get("/api/schema/?format=json")  # the schema as served, without a database
    assert schema.status_code == 200
    schema_file = tmp_path / "openapi.json"
    schema_file.write_bytes(schema.content)
    config = tmp_path / "config.yaml"
    # No post-hooks: the generator's default runs ruff over the output; the test takes the code as generated.
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\n")
    generated = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(PACKAGE)
        yield package
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def published_bank(db):
    databases = CategoryFactory(slug="databases")
    return QuestionFactory.create_batch(3, category=databases, expected_minutes=5)


def test_every_generated_module_imports(generated_client):
    modules = [m.name for m in pkgutil.walk_packages(generated_client.__path__, f"{PACKAGE}.")]

    for name in modules:
        importlib.import_module(name)
    assert f"{PACKAGE}.api.v1.v1_sessions_answers_create" in modules


def test_a_generated_client_registers_starts_answers_and_finishes_a_session(
    generated_client, wsgi_transport, published_bank
):
    client_module = importlib.import_module(f"{PACKAGE}.client")
    api = importlib.import_module(f"{PACKAGE}.api.v1")
    models = importlib.import_module(f"{PACKAGE}.models")
    for name in [
        "v1_auth_register_create",
        "v1_auth_token_create",
        "v1_sessions_create",
        "v1_sessions_answers_create",
        "v1_sessions_finish_create",
    ]:
        importlib.import_module(f"{api.__name__}.{name}")
    anonymous = client_module.Client(base_url=BASE_URL, httpx_args={"transport": wsgi_transport})

    registered = api.v1_auth_register_create.sync_detailed(
        client=anonymous,
        body=models.RegisterInputRequest(username="gen", email="gen@example.com", password="plenty-of-entropy-42"),
    )
    assert registered.status_code == 201, registered.content
    assert registered.parsed.username == "gen"

    token = api.v1_auth_token_create.sync_detailed(
        client=anonymous, body=models.AuthTokenRequest(username="gen", password="plenty-of-entropy-42")
    )
    assert token.status_code == 200, token.content
    assert token.parsed.token == registered.parsed.token

    # The scheme's description says the prefix is `Token`; the generator's default is `Bearer`.
    wrong_prefix = client_module.AuthenticatedClient(
        base_url=BASE_URL, token=token.parsed.token, httpx_args={"transport": wsgi_transport}
    )
    refused = api.v1_sessions_create.sync_detailed(client=wrong_prefix, body=models.SessionStartRequest(count=2))
    assert refused.status_code == 401
    assert "Authorization: Token <key>" in refused.parsed.detail

    candidate = client_module.AuthenticatedClient(
        base_url=BASE_URL, token=token.parsed.token, prefix="Token", httpx_args={"transport": wsgi_transport}
    )
    started = api.v1_sessions_create.sync_detailed(
        client=candidate, body=models.SessionStartRequest(count=2, time_limit_minutes=30)
    )
    assert started.status_code == 201, started.content
    session = started.parsed
    assert isinstance(session, models.Session)
    assert session.status == models.SessionStatusEnum.ACTIVE
    assert [q.position for q in session.questions] == [1, 2]
    assert session.time_remaining_seconds > 0

    answered = api.v1_sessions_answers_create.sync_detailed(
        session.id,
        client=candidate,
        body=models.AnswerRequest(position=1, answer="Indexes and isolation.", key_points_hit=[0, 1]),
    )
    assert answered.status_code == 200, answered.content
    assert answered.parsed.answered is True
    assert answered.parsed.rating == models.RatingEnum.EASY
    assert answered.parsed.model_answer.startswith("SECRET-MODEL-ANSWER-")

    finished = api.v1_sessions_finish_create.sync_detailed(session.id, client=candidate)
    assert finished.status_code == 200, finished.content
    assert finished.parsed.status == models.SessionStatusEnum.COMPLETED
    assert finished.parsed.summary.answered == 1
    assert finished.parsed.summary.skipped == 1
    assert finished.parsed.summary.score == 0.5
