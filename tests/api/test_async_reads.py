"""PostgreSQL: list pages read with their statements awaited on the event loop
(api/async_reads.py) answer exactly what a worker thread's read answers, meet the same
deadlines, and a connection the server dropped is read again on a fresh one."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session
from starlette.responses import Response

from api.async_reads import AsyncReads
from api.commit_counter import discard_counter
from api.db import engine_for
from api.main import create_app
from api.settings import Settings
from api.web.data_version import known_data_version
from tests.asgi_client import InProcessClient
from tests.conftest import BACKEND, DatabaseFactory
from tests.tcp_proxy import pausable_proxy

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's reads only")

LISTS = (
    "/v1/observations",
    "/v1/observations?country=CN&limit=7&page=2",
    "/v1/observations?sort=-value&status=estimate",
    "/v1/observations?from=2024-01-01&country=US",
    "/v1/funding/records?limit=3",
    "/v1/models/arena-scores?sort=-score&limit=20",
    "/v1/models/catalog?limit=5&page=3",
    "/v1/compute/clusters",
    "/v1/talent/institutions?limit=4",
    "/v1/sources",
    "/v1/observations?page=999",
)
UNCACHED = {"AIGAP_RESPONSE_CACHE_BYTES": "0"}


@pytest.fixture(scope="module")
def database(seeded_database: DatabaseFactory) -> Iterator[str]:
    with seeded_database() as url:
        yield url
        engine_for(url).dispose()


def _answers(settings: Settings, *, awaited: bool) -> list[tuple[int, Any, bytes]]:
    app = create_app(settings)
    if not awaited:
        app.state.async_reads = None
    else:
        assert isinstance(app.state.async_reads, AsyncReads)
    with InProcessClient(app) as client:
        answers = []
        for path in LISTS:
            response = client.get(path)
            headers = {k: v for k, v in response.headers.items() if k != "x-request-id"}
            answers.append((response.status_code, headers, response.content))
        return answers


def test_the_same_bytes_and_headers_as_a_thread_read(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database, response_cache_bytes=0)
    awaited_reads: list[int] = []
    run = AsyncReads.run

    async def counted(self: AsyncReads, read: Callable[[Session], Response]) -> Response:
        response = await run(self, read)
        awaited_reads.append(response.status_code)
        return response

    monkeypatch.setattr(AsyncReads, "run", counted)
    awaited = _answers(settings, awaited=True)
    assert [status for status, _, _ in awaited] == [200] * len(LISTS)
    assert awaited_reads == [200] * len(LISTS)  # every page was read awaited, none in a thread
    monkeypatch.undo()
    assert awaited == _answers(settings, awaited=False)


def test_a_database_that_stops_answering_is_a_503_at_the_statement_deadline(
    database: str,
) -> None:
    url = engine_for(database).url
    assert url.host is not None
    assert url.port is not None
    with pausable_proxy(url.host, url.port) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        # A long heartbeat: the data version stays known, so the page read meets the pause.
        settings = Settings(
            database_url=proxied,
            response_cache_bytes=0,
            db_statement_timeout=0.5,
            db_heartbeat_seconds=30,
        )
        app = create_app(settings)
        with InProcessClient(app) as client:
            deadline = time.monotonic() + 10
            while client.get(LISTS[1]).status_code != 200 or not _version_known(client, settings):
                assert time.monotonic() < deadline, "never answered without a version read"
                time.sleep(0.05)
            proxy.pause()
            try:
                started = time.monotonic()
                response = client.get(LISTS[2])
                elapsed = time.monotonic() - started
            finally:
                proxy.resume()
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert 0.4 < elapsed < 2.5, elapsed
            assert client.get(LISTS[2]).status_code == 200  # a fresh connection after
        engine_for(proxied).dispose()
        discard_counter(proxied)


def _version_known(client: TestClient, settings: Settings) -> bool:
    """The server knows the data version without a query (its listening connection is
    up), asked on the server's own event loop."""
    return client.portal.call(known_data_version, settings) is not None  # type: ignore[union-attr]


def test_a_connection_the_server_dropped_is_read_again_on_a_fresh_one(database: str) -> None:
    settings = Settings(database_url=database, response_cache_bytes=0)
    app = create_app(settings)
    with InProcessClient(app) as client:
        first = client.get(LISTS[3])
        assert first.status_code == 200
        with engine_for(database).connect() as admin:
            dropped = admin.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert dropped >= 1
        time.sleep(1.1)  # the thread pool pings a connection idle this long before use
        again = client.get(LISTS[3])
        assert again.status_code == 200, again.text
        assert again.content == first.content
