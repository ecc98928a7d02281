"""Who may write is settled from the headers, before the body is read and before any lock:
a flood of bad keys costs the database no write and no lock, and counts against its
address."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from api.main import create_app
from api.models.auth import Scope
from api.settings import Settings
from tests.asgi_client import InProcessClient
from tests.conftest import use_test_session
from tests.writes.helpers import ONE_WINDOW, bearer, observation


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.lower())

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_a_bad_key_takes_no_lock_and_writes_nothing(client: TestClient, session: Session) -> None:
    for headers in ({}, {"Authorization": "Bearer aigap_not-a-real-key-at-all"}):
        with _statements(session) as statements:
            response = client.post("/v1/observations", json=observation(), headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert not [s for s in statements if "write_lock" in s or "rate_limit" in s]
        assert not [s for s in statements if s.startswith(("insert", "update", "delete"))]


def test_a_read_only_key_is_refused_before_the_lock(client: TestClient, session: Session) -> None:
    headers = bearer(session, "reader", Scope.read)
    with _statements(session) as statements:
        response = client.put(
            "/v1/observations/ai-accelerators-us-2025", json=observation(), headers=headers
        )
    assert response.status_code == 403
    assert not [s for s in statements if "write_lock" in s]


def test_a_valid_write_takes_the_lock(client: TestClient, session: Session) -> None:
    headers = bearer(session)
    with _statements(session) as statements:
        response = client.post("/v1/observations", json=observation(), headers=headers)
    assert response.status_code == 201
    assert [s for s in statements if s.startswith("update write_lock")]


def test_bad_keys_count_toward_the_address_limit(database_url: str, session: Session) -> None:
    app = create_app(
        Settings(database_url=database_url, address_rate_limit=3, rate_window_seconds=ONE_WINDOW)
    )
    use_test_session(app, session)
    good = bearer(session)
    with InProcessClient(app) as client:
        assert client.post("/v1/observations", json=observation(), headers=good).status_code == 201
        for _ in range(3):
            response = client.post("/v1/observations", json=observation(key="x-cn-2026"))
            assert response.status_code == 401
        refused = client.post("/v1/observations", json=observation(key="y-cn-2026"), headers=good)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.headers["content-type"] == "application/problem+json"
        # and no longer even asked for a key
        assert client.post("/v1/observations", json=observation()).status_code == 429


def test_failures_leave_the_rest_of_the_address_budget(database_url: str, session: Session) -> None:
    app = create_app(
        Settings(database_url=database_url, address_rate_limit=4, rate_window_seconds=ONE_WINDOW)
    )
    use_test_session(app, session)
    good = bearer(session)
    with InProcessClient(app) as client:
        for _ in range(2):
            assert client.post("/v1/observations", json=observation()).status_code == 401
        codes = [
            client.post(
                "/v1/observations", json=observation(key=f"k{i}-cn-2026"), headers=good
            ).status_code
            for i in range(3)
        ]
    assert codes == [201, 201, 429]  # 2 failures + 2 writes use the budget of 4
