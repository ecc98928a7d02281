"""The in-process client (tests/asgi_client.py) answers as Starlette's TestClient does."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session
from starlette.types import Message, Receive, Scope, Send

from api.settings import Settings
from tests.api.routes import LIST_PATHS
from tests.asgi_client import InProcessClient
from tests.conftest import WarmApp, use_test_session
from tests.writes.helpers import bearer

PER_REQUEST = {"x-request-id", "date", "server"}


@pytest.fixture
def both(
    session: Session, settings: Settings, warm_app: WarmApp
) -> Iterator[tuple[TestClient, TestClient]]:
    app = warm_app.new(settings)
    use_test_session(app, session)
    try:
        with InProcessClient(app) as ours, TestClient(app) as starlettes:
            yield ours, starlettes
    finally:
        warm_app.returned()


def _same(ours: Response, starlettes: Response) -> None:
    assert ours.status_code == starlettes.status_code, (ours.text, starlettes.text)
    assert ours.content == starlettes.content
    assert sorted((k, v) for k, v in ours.headers.multi_items() if k not in PER_REQUEST) == sorted(
        (k, v) for k, v in starlettes.headers.multi_items() if k not in PER_REQUEST
    )


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *[("GET", path, {"params": {"limit": 2}}) for path in LIST_PATHS],
    ("GET", "/v1/scorecard", {}),
    ("GET", "/v1/models/lag.csv", {}),
    ("HEAD", "/v1/observations", {}),
    ("GET", "/v1/observations", {"params": {"sort": "nope"}}),
    ("GET", "/v1/scorecard/fundng", {}),
    ("GET", "/v1/observations", {"headers": {"If-None-Match": "*"}}),
    ("DELETE", "/v1/scorecard", {}),
    ("POST", "/v1/observations", {"content": b"{not json", "headers": {"X": "y"}}),
]


@pytest.mark.parametrize(("method", "path", "options"), REQUESTS)
def test_the_same_answer_as_starlettes_client(
    both: tuple[TestClient, TestClient], method: str, path: str, options: dict[str, Any]
) -> None:
    ours, starlettes = both
    _same(ours.request(method, path, **options), starlettes.request(method, path, **options))


def test_a_write_and_its_problem_are_the_same(
    both: tuple[TestClient, TestClient], session: Session
) -> None:
    ours, starlettes = both
    headers = {**bearer(session), "Content-Type": "application/json"}
    for client in both:
        response = client.post("/v1/observations", content=b"[]", headers=headers)
        assert response.status_code == 422, response.text
    _same(
        ours.post("/v1/observations", content=b"{}", headers=headers),
        starlettes.post("/v1/observations", content=b"{}", headers=headers),
    )


async def _chunked(_scope: Scope, receive: Receive, send: Send) -> None:
    request = await receive()
    await send({"type": "http.response.start", "status": 201, "headers": [(b"x-a", b"1")]})
    for chunk in (b"echo:", request["body"], b""):
        await send({"type": "http.response.body", "body": chunk, "more_body": bool(chunk)})
    assert (await receive())["type"] == "http.disconnect"


async def _failing(_scope: Scope, _receive: Receive, _send: Send) -> None:
    raise RuntimeError("boom")


async def _silent(_scope: Scope, _receive: Receive, _send: Send) -> None:
    return None


# Bare ASGI apps with no lifespan: each client is used without `with`, which would start one.


def test_chunks_are_joined_and_the_request_body_arrives() -> None:
    response = InProcessClient(_chunked).post("/", content=b"hello")
    assert (response.status_code, response.content) == (201, b"echo:hello")
    assert response.headers["x-a"] == "1"


def test_an_app_error_is_raised_or_a_bare_500_as_asked() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        InProcessClient(_failing).get("/")
    assert InProcessClient(_failing, raise_server_exceptions=False).get("/").status_code == 500
    with pytest.raises(AssertionError, match="did not receive any response"):
        InProcessClient(_silent).get("/")


def test_the_scope_is_starlettes() -> None:
    seen: list[dict[str, Any]] = []

    async def record(scope: Scope, _receive: Receive, send: Send) -> None:
        seen.append({k: v for k, v in scope.items() if k != "state"})
        message: Message = {"type": "http.response.start", "status": 204, "headers": []}
        await send(message)
        await send({"type": "http.response.body", "body": b""})

    for client_class in (InProcessClient, TestClient):
        client_class(record).get("/a%20b/c?x=1&y=%C3%A9", headers={"X-Thing": "v"})
    assert seen[0] == seen[1]
