"""SQLite list reads on the event loop (api/web/read_path.py): a statement run there is cut
off at the loop's budget and never waits for a writer's lock (api.deadlines.on_the_loop);
the read path then reads the page in a thread, where both limits are the connection's own.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.responses import Response

from api.db import engine_for
from api.deadlines import on_the_loop
from api.errors import NotFound
from api.web.read_path import ReadPath
from api.web.response_cache import ResponseCache
from tests.conftest import BACKEND, DatabaseFactory
from tests.live import LOCAL, live_server, sqlite_path

pytestmark = pytest.mark.skipif(
    BACKEND != "sqlite", reason="SQLite only: PostgreSQL's reads wait on the network, in threads"
)
# Counts to n: about a second per ten million on these machines.
COUNT_TO = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "
    "SELECT count(*) FROM n"
)
STATEMENT_TIMEOUT = 10.0


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "loop.db"
    sqlite3.connect(path).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);").close()
    engine = engine_for(f"sqlite:///{path}", pool_size=1, statement_timeout=STATEMENT_TIMEOUT)
    yield engine
    engine.dispose()


def test_a_statement_past_the_budget_is_interrupted_and_says_so(engine: Engine) -> None:
    with engine.connect() as connection:
        began = time.monotonic()
        with on_the_loop(0.05) as budget, pytest.raises(OperationalError, match="interrupt"):
            connection.exec_driver_sql(COUNT_TO.format(1_000_000_000)).scalar_one()
        assert time.monotonic() - began < 2
        assert budget.exhausted
        # Outside the block the connection's own limits are back: the same kind of
        # statement runs to its end.
        assert connection.exec_driver_sql(COUNT_TO.format(300_000)).scalar_one() == 300_000


def test_a_statement_within_the_budget_is_not_marked(engine: Engine) -> None:
    with engine.connect() as connection, on_the_loop(5.0) as budget:
        assert connection.exec_driver_sql("SELECT x FROM t").scalar_one() == 1
    assert not budget.exhausted


def test_on_the_loop_a_locked_file_is_an_error_at_once_elsewhere_a_wait(
    engine: Engine,
) -> None:
    path = engine.url.database
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        with engine.connect() as connection:
            began = time.monotonic()
            with on_the_loop(5.0), pytest.raises(OperationalError, match="locked"):
                connection.exec_driver_sql("SELECT x FROM t").scalar_one()
            assert time.monotonic() - began < 1

            threading.Timer(0.4, writer.execute, ["ROLLBACK"]).start()
            began = time.monotonic()
            assert connection.exec_driver_sql("SELECT x FROM t").scalar_one() == 1
            assert time.monotonic() - began >= 0.3  # it waited for the writer
            expected = int(STATEMENT_TIMEOUT * 1000)
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == expected
    finally:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
        writer.close()


def _read_path(seconds: float) -> ReadPath:
    async def app(*_: Any) -> None:
        raise AssertionError("not reached")

    return ReadPath(app, ResponseCache(0), threads=1, on_loop_seconds=seconds)


def test_the_read_path_hands_a_read_that_failed_on_the_loop_to_a_thread() -> None:
    calls: list[str] = []

    def read() -> Response:
        calls.append("read")
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))

    assert _read_path(0.02)._on_the_loop(read) is None
    assert calls == ["read"]


def test_the_read_path_answers_on_the_loop_and_lets_an_app_error_through() -> None:
    def answered() -> Response:
        return Response(b"page")

    def missing() -> Response:
        raise NotFound("no such record")

    page = _read_path(0.02)._on_the_loop(answered)
    assert page is not None
    assert page.body == b"page"
    with pytest.raises(NotFound):
        _read_path(0.02)._on_the_loop(missing)


def test_with_no_budget_every_read_goes_to_a_thread() -> None:
    def read() -> Response:
        raise AssertionError("read on the loop")

    assert _read_path(0.0)._on_the_loop(read) is None


def test_a_server_keeps_answering_while_a_writer_holds_the_file(
    seeded_database: DatabaseFactory,
) -> None:
    """A real server, one worker, no response cache: while another process's writer holds
    the file, a list waits off the loop and answers once the lock is gone, and the
    process's loop answers other requests meanwhile."""
    url = "/v1/observations?country=CN&limit=20"
    with (
        seeded_database() as database,
        live_server(
            database, workers=1, seeded=True, settings={"AIGAP_RESPONSE_CACHE_BYTES": "0"}
        ) as server,
    ):
        expected = LOCAL.get(server.base + url, timeout=30)
        assert expected.status_code == 200
        writer = sqlite3.connect(sqlite_path(database), isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")
        try:
            waiting: list[httpx.Response] = []
            reader = threading.Thread(
                target=lambda: waiting.append(LOCAL.get(server.base + url, timeout=30))
            )
            reader.start()
            time.sleep(0.3)
            assert not waiting  # it waits for the writer
            began = time.monotonic()
            assert LOCAL.get(server.base + "/healthz", timeout=5).status_code == 200
            assert time.monotonic() - began < 0.5  # the loop is not held
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        reader.join(timeout=30)
        assert waiting[0].status_code == 200
        assert waiting[0].json() == expected.json()
