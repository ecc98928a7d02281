"""Liveness and readiness."""

import gc

from fastapi.testclient import TestClient

from api import GC_THRESHOLDS
from api.db import engine_for
from api.main import create_app
from api.settings import Settings
from tests.asgi_client import InProcessClient
from tests.conftest import DatabaseFactory
from tests.live import migrate


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_migrated_schema(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["schema_revision"] == body["expected_revision"] is not None


def test_readyz_is_503_problem_when_schema_is_behind(new_database: DatabaseFactory) -> None:
    with new_database() as url:
        migrate(url, "9776928fd86c")  # two migrations behind the code
        with InProcessClient(create_app(Settings(database_url=url))) as client:
            response = client.get("/readyz")
        engine_for(url).dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "aigap migrate" in response.json()["detail"]


def test_the_garbage_collector_is_tuned_once_the_app_starts(client: TestClient) -> None:
    # the client fixture has started the app's lifespan
    assert client.get("/healthz").status_code == 200
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
