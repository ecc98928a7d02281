"""Every database statement has a deadline, and so has every request: a slow or frozen
database is a prompt 503 with Retry-After, and an exhausted pool is one too, never a 500."""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.db import engine_for
from api.deadlines import request_deadline
from api.main import create_app
from api.settings import Settings
from tests.asgi_client import InProcessClient
from tests.conftest import BACKEND
from tests.live import LOCAL, LiveServer, live_server, local_client
from tests.pg_cluster import PrivateCluster, private_cluster
from tests.writes.helpers import accelerators_us_2025

pytestmark = pytest.mark.long_running(22)

FOREVER_SQLITE = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
)
postgresql_only = pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL")


def _timed_failure(engine: Engine, sql: str) -> float:
    started = time.monotonic()
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text(sql))
    return time.monotonic() - started


def test_a_sqlite_statement_is_interrupted_at_its_deadline(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'slow.db'}", statement_timeout=0.3)
    elapsed = _timed_failure(engine, FOREVER_SQLITE)
    assert 0.25 < elapsed < 1.3
    with engine.connect() as connection:  # the connection is fine afterwards
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_a_sqlite_statement_ends_with_its_request(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'slow.db'}", statement_timeout=60)
    with request_deadline(0.3):
        elapsed = _timed_failure(engine, FOREVER_SQLITE)
    assert elapsed < 1.3
    engine.dispose()


@postgresql_only
def test_postgresql_cancels_a_slow_statement_and_keeps_the_connection(database_url: str) -> None:
    engine = engine_for(database_url, statement_timeout=0.3)
    with engine.connect() as connection:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 1.3
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1


@postgresql_only
def test_a_postgresql_statement_ends_with_its_request(database_url: str) -> None:
    engine = engine_for(database_url, statement_timeout=60)
    with request_deadline(0.3):
        elapsed = _timed_failure(engine, "SELECT pg_sleep(5)")
    assert elapsed < 1.3
    with request_deadline(-1.0), pytest.raises(OperationalError, match="deadline passed"):
        with engine.connect() as connection:  # nothing is even sent past the deadline
            connection.execute(text("SELECT 1"))
    with engine.connect() as connection:  # the pool replaced what it had to
        assert connection.execute(text("SELECT 1")).scalar() == 1


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    with private_cluster() as running:
        yield running


@postgresql_only
def test_a_frozen_postgresql_is_given_up_on_by_the_client(cluster: PrivateCluster) -> None:
    """SIGSTOP: the server's own statement_timeout never fires; the client's wait ends."""
    engine = engine_for(cluster.admin_url, statement_timeout=0.5, connect_timeout=1)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        cluster.freeze()
        try:
            started = time.monotonic()
            with pytest.raises(OperationalError, match="did not answer"):
                connection.execute(text("SELECT 1"))
            assert time.monotonic() - started < 0.5 + 0.5 + 0.5
        finally:
            cluster.thaw()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_an_exhausted_pool_is_a_503_with_retry_after(database_url: str) -> None:
    settings = Settings(database_url=database_url, db_pool_size=1, db_connect_timeout=0.2)
    app = create_app(settings)
    engine = engine_for(
        settings.database_url, 1, settings.db_connect_timeout, settings.db_statement_timeout
    )
    held: list[Connection] = []
    try:
        while True:
            try:
                held.append(engine.connect())
            except PoolTimeout:
                break
            assert len(held) < 100
        with InProcessClient(app) as client:
            response = client.get("/v1/sources")
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert response.json()["status"] == 503
    finally:
        for connection in held:
            connection.close()
        engine.dispose()


REQUEST_TIMEOUT = 2.0
FREEZE = 5.0  # longer than any deadline: whatever waits for the database waits this long
FROZEN_SETTINGS = {
    "AIGAP_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT),
    "AIGAP_DB_STATEMENT_TIMEOUT": "1",
    "AIGAP_DB_READ_TIMEOUT": "1",
    "AIGAP_DB_CONNECT_TIMEOUT": "1",
    "AIGAP_DB_POOL_SIZE": "2",
    "AIGAP_RESPONSE_CACHE_BYTES": "0",
}


@pytest.fixture
def frozen_server(cluster: PrivateCluster) -> Iterator[LiveServer]:
    url = cluster.create_database("aigap")
    try:
        with live_server(url, workers=1, settings=FROZEN_SETTINGS) as running:
            yield running
    finally:
        engine_for(url).dispose()


@postgresql_only
def test_forty_clients_through_a_freeze_are_answered_by_their_deadlines(
    frozen_server: LiveServer, cluster: PrivateCluster
) -> None:
    """Forty clients reading (lists, details, computed answers) and writing without pause;
    the database freezes under them, requests in flight included, for longer than any
    deadline. Each answer comes within its deadline and a second: a 2xx, a 412, or a 503;
    never a 500, never a hang. Afterwards the service is back, and every write answered
    200 is in the history; the only others there are writes answered `commit-in-doubt`
    (their COMMIT was sent as the database froze), never one answered a plain 503."""
    base, auth = frozen_server.base, {"Authorization": f"Bearer {frozen_server.key}"}
    path = "/v1/observations/ai-accelerators-us-2025"
    before = len(_history(base + path))
    stop = threading.Event()
    answers: list[tuple[str, int, float]] = []
    written: list[float] = []
    in_doubt: list[float] = []

    def client(i: int) -> None:
        with local_client(base_url=base, timeout=30) as http:
            n = 0
            while not stop.is_set():
                n += 1
                started = time.monotonic()
                if i % 8 == 0:
                    value = 20_000_000 + i * 1000 + n
                    body = accelerators_us_2025(value)
                    response = http.put(path, json=body, headers={**auth, "If-Match": "*"})
                    if response.status_code == 200:
                        written.append(value)
                    elif response.json()["type"].endswith("/commit-in-doubt"):
                        in_doubt.append(value)
                else:
                    target = ("/v1/observations?page=", f"{path}?limit=", "/v1/scorecard?x=")
                    response = http.get(target[i % 3].split("?")[0], params=_page(i, n))
                answers.append(
                    (response.request.url.path, response.status_code, time.monotonic() - started)
                )

    with ThreadPoolExecutor(40) as pool:
        running = [pool.submit(client, i) for i in range(40)]
        time.sleep(1.0)
        cluster.freeze()
        try:
            time.sleep(FREEZE)
        finally:
            cluster.thaw()
        time.sleep(1.0)
        stop.set()
        for future in running:
            future.result()
    statuses = {status for _, status, _ in answers}
    assert statuses <= {200, 503}, sorted(statuses)
    assert 503 in statuses
    slowest = max(answers, key=lambda answer: answer[2])
    assert slowest[2] < REQUEST_TIMEOUT + 1.0, slowest
    deadline = time.monotonic() + 15
    while LOCAL.get(base + "/readyz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    history = _history(base + path)
    saved = [revision["value"] for revision in history[before:]]
    assert len(saved) == len(set(saved))
    assert set(written) <= set(saved) <= set(written) | set(in_doubt), (written, in_doubt)


def _history(url: str) -> list[dict[str, Any]]:
    """The record's revisions. With deadlines this short a loaded machine can answer a
    503 even unfrozen; never a problem counted as history."""
    deadline = time.monotonic() + 15
    while (response := LOCAL.get(url + "/revisions", timeout=10)).status_code == 503:
        assert time.monotonic() < deadline, response.text
        time.sleep(0.2)
    assert response.status_code == 200, response.text
    revisions: list[dict[str, Any]] = response.json()
    return revisions


def _page(i: int, n: int) -> dict[str, str]:
    return {"page": str(n % 5 + 1)} if i % 3 == 0 else {}
