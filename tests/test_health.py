"""Liveness and readiness probes."""

import pytest


def test_healthz_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_broker(client):
    response = client.get("/readyz")
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_naming_an_unreachable_broker(client, broker_url_set):
    broker_url_set("redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"
