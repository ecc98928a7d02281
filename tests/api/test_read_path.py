"""The read path (api/web/read_path.py) answers exactly as the routes behind it would.

Every list is asked the same questions twice, once through the read path and once through
an app without it, and the two answers must be the same bytes with the same headers.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from api.main import create_app
from api.services.records import data_version
from api.settings import Settings
from api.web.read_path import ReadPath
from tests.api.routes import LIST_PATHS
from tests.asgi_client import InProcessClient
from tests.conftest import WarmApp, use_test_session

pytestmark = pytest.mark.long_running(12)

PER_REQUEST = {"x-request-id", "date", "server"}


def _without_read_path(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not ReadPath]  # type: ignore[comparison-overlap]
    return app


@pytest.fixture(scope="module")
def warm_routed_app() -> WarmApp:
    """The app without the read path keeps its built routes from test to test, as the
    `client` fixture's app does (tests/conftest.py)."""
    return WarmApp()


@pytest.fixture
def clients(
    session: Session, settings: Settings, warm_app: WarmApp, warm_routed_app: WarmApp
) -> Iterator[tuple[TestClient, TestClient]]:
    fast = warm_app.new(settings)
    routed = _without_read_path(warm_routed_app.new(settings))
    for app in (fast, routed):
        use_test_session(app, session)
    assert any(m.cls is ReadPath for m in fast.user_middleware)  # type: ignore[comparison-overlap]
    try:
        with InProcessClient(fast) as fast_client, InProcessClient(routed) as routed_client:
            yield fast_client, routed_client
    finally:
        warm_app.returned()
        warm_routed_app.returned()


def _same(fast: Response, routed: Response) -> None:
    assert fast.status_code == routed.status_code, (fast.text, routed.text)
    assert fast.content == routed.content
    fast_headers = sorted((k, v) for k, v in fast.headers.multi_items() if k not in PER_REQUEST)
    routed_headers = sorted((k, v) for k, v in routed.headers.multi_items() if k not in PER_REQUEST)
    assert fast_headers == routed_headers


def _questions(client: TestClient, path: str) -> list[dict[str, Any]]:
    """Defaults, pages, sorts and a filter on a value the data holds, and some mistakes."""
    first = client.get(path, params={"limit": 1}).json()
    questions: list[dict[str, Any]] = [
        {},
        {"limit": 2, "page": 2},
        {"limit": 3, "sort": "-key"},
        {"limit": 1000},
        {"page": 999},
        {"as_of": "2020-01-01T00:00:00Z"},
        {"limit": 0},  # 400
        {"limit": "many"},  # 400
        {"sort": "nope"},  # 400
        {"unknown": "1"},  # 400
        {"format": "csv"},
    ]
    if first["items"]:
        record = first["items"][0]
        for name in ("country", "status", "pillar", "indicator_key"):
            if record.get(name):
                param = "indicator" if name == "indicator_key" else name
                questions.append({param: record[name], "limit": 5})
    return questions


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_answers_as_its_route_does(
    clients: tuple[TestClient, TestClient], path: str
) -> None:
    fast, routed = clients
    for params in _questions(routed, path):
        _same(fast.get(path, params=params), routed.get(path, params=params))
        # again: now from the response cache
        _same(fast.get(path, params=params), routed.get(path, params=params))


def test_observations_with_every_filter(clients: tuple[TestClient, TestClient]) -> None:
    fast, routed = clients
    path = "/v1/observations"
    for params in (
        {"country": "CN,US", "limit": 7, "sort": "-value,period_start"},
        {"indicator": "ai-accelerators", "mrv": 1},
        {"pillar": "compute", "from": "2020-01-01"},
        {"to": "2023-12-31", "status": "actual"},
        {"from": "2025-01-01", "to": "2020-01-01"},  # reversed: 400
        {"country": ","},  # 400
        {"country": "CN", "country ": "US"},
        {"qualifier": "about,more_than", "source": "insikt-2025-us-china-ai-gap"},
    ):
        _same(fast.get(path, params=params), routed.get(path, params=params))
    repeated = "/v1/observations?country=CN&country=US"
    _same(fast.get(repeated), routed.get(repeated))
    for accept in ("text/csv", "application/json", "text/csv;q=0.9, application/json"):
        headers = {"Accept": accept}
        _same(fast.get(path, headers=headers), routed.get(path, headers=headers))


def test_conditional_answers(clients: tuple[TestClient, TestClient], session: Session) -> None:
    fast, routed = clients
    for path in ("/v1/observations?country=CN", "/v1/scorecard", "/v1/models/lag"):
        etag = fast.get(path).headers["etag"]
        assert etag.startswith(f'"v{data_version(session)}-')
        assert etag == routed.get(path).headers["etag"]
        not_modified = fast.get(path, headers={"If-None-Match": etag})
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        _same(not_modified, routed.get(path, headers={"If-None-Match": etag}))
        head = fast.head(path)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["etag"] == etag


def test_a_write_moves_every_answer(
    clients: tuple[TestClient, TestClient], session: Session
) -> None:
    from tests.writes.helpers import bearer, observation

    fast, _routed = clients
    path = "/v1/observations?indicator=ai-accelerators"
    before = fast.get(path)
    assert fast.get(path).content == before.content  # remembered
    created = fast.post("/v1/observations", json=observation(), headers=bearer(session))
    assert created.status_code == 201
    after = fast.get(path)
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["total"] == before.json()["total"] + 1


def test_a_well_formed_list_query_never_reaches_its_route(
    session: Session, settings: Settings
) -> None:
    from api.deps import get_session

    app = create_app(settings)
    use_test_session(app, session)

    def no_route_session() -> Iterator[Session]:
        raise AssertionError("the route was called")
        yield session

    app.dependency_overrides[get_session] = no_route_session
    with InProcessClient(app, raise_server_exceptions=False) as client:
        for path in LIST_PATHS:
            for params in ({}, {"limit": 3, "page": 2}, {"as_of": "2026-01-01T00:00:00Z"}):
                assert client.get(path, params=params).status_code == 200, (path, params)
        # a query for the route to judge does reach it (and meets the failing session)
        assert client.get(LIST_PATHS[0], params={"limit": 0}).status_code == 500


@pytest.mark.parametrize("path", LIST_PATHS)
def test_page_json_is_what_pydantic_writes(session: Session, path: str) -> None:
    """orjson straight from the rows gives the bytes validating every row would."""
    from api.services.records import ListQuery, list_records
    from api.web.page_json import page_encoder
    from tests.api.routes import ROUTES

    route = next(r for r in ROUTES if r.path == path and "GET" in (r.methods or ()))
    listed = route.endpoint.listed  # type: ignore[attr-defined]
    listing = list_records(session, listed.kind, ListQuery(limit=1000))
    encoder = page_encoder(listed.kind.public)
    assert encoder.direct, f"{listed.kind.public.__name__} is written by pydantic"
    assert listing.items or path.endswith(("aliases", "families")), path
    direct = encoder.encode(listing.items, listing.total, 1000, 1)
    assert direct == encoder.validated(listing.items, listing.total, 1000, 1)
