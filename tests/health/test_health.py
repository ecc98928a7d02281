"""Liveness and readiness."""

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session


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


def test_readyz_is_503_problem_when_schema_is_behind(client: TestClient, session: Session) -> None:
    session.exec(text("UPDATE alembic_version SET version_num = 'stale'"))  # type: ignore[call-overload]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "aigap migrate" in response.json()["detail"]
