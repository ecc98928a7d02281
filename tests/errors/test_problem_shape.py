"""Every error is RFC 9457 problem+json with the same shape (Datasette-style contract test)."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.asgi_client import InProcessClient

REQUIRED = {"type", "title", "status", "detail", "instance"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/sources?limit=0", 400),
        ("GET", "/v1/sources?limit=abc", 400),
        ("GET", "/v1/sources?as_of=2025-13-01", 400),
        ("GET", "/v1/sources?offset=-1", 400),
        ("GET", "/v1/nowhere", 404),
        ("DELETE", "/v1/sources", 405),
    ],
)
def test_errors_are_problem_json(client: TestClient, method: str, path: str, status: int) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert REQUIRED <= set(body)
    assert body["status"] == status
    assert body["type"].startswith("https://aigap.dev/problems/")
    if status == 400:
        assert body["errors"]
        assert all(e["field"].startswith("query.") and e["reason"] for e in body["errors"])


def test_unexpected_errors_are_500_problem_without_internals(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    with InProcessClient(app, raise_server_exceptions=False) as raw:
        response = raw.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text
