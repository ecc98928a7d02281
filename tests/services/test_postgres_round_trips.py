"""On PostgreSQL a read of the read path is its statement alone, a unit of work is one
transaction, and a pooled connection is pinged only when it has waited in the pool."""

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text

from api.db import PING_AFTER_IDLE_SECONDS, engine_for, get_engine, transaction
from api.main import create_app
from api.settings import Settings
from api.web.data_version import known_data_version
from tests.asgi_client import InProcessClient
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL")


@contextmanager
def _sent(engine: type[Engine] | Engine = Engine) -> Iterator[list[str]]:
    """Every statement SQLAlchemy sends through `engine` (by default every engine: the read
    path's awaited reads have one of their own), BEGIN included (api.db emits it)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split())[:60])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_list_request_sends_its_selects_and_no_transaction(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=0)
    with InProcessClient(create_app(settings)) as client, _sent() as sent:
        assert client.get("/v1/observations?country=US&limit=3").status_code == 200
        first = list(sent)
        deadline = time.monotonic() + 10  # until the worker listens for commits
        while client.portal.call(known_data_version, settings) is None:  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the data version never became known"
            client.get("/v1/observations?country=US&limit=3")
            time.sleep(0.05)
        sent.clear()
        assert client.get("/v1/observations?country=US&limit=3").status_code == 200
        assert client.get("/v1/observations?country=CN&limit=3").status_code == 200
    # the data version, the count (remembered after the first time), the page
    assert first == [_DATA_VERSION, *first[1:]], first
    assert [s.split()[0] for s in first] == ["SELECT", "SELECT", "SELECT"], first
    # then no data version read at all: the page, and a new filter's count and page
    assert [s.split()[0] for s in sent] == ["SELECT", "SELECT", "SELECT"], sent
    assert _DATA_VERSION not in sent
    with get_engine(settings).connect() as connection:  # no transaction opened by the driver
        assert connection.connection.driver_connection.autocommit is True  # type: ignore[union-attr]


_DATA_VERSION = "SELECT coalesce(max(changes.id), %(coalesce_2)s::INTEGER) AS"


def _write_then_fail(settings: Settings, table: str) -> None:
    with transaction(settings) as session:
        session.exec(text(f"CREATE TABLE {table} (n int)"))  # type: ignore[call-overload]
        session.exec(text(f"INSERT INTO {table} VALUES (1)"))  # type: ignore[call-overload]
        raise RuntimeError("rolled back")


def test_a_unit_of_work_is_one_transaction(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    table = f"scratch_{uuid.uuid4().hex[:8]}"
    try:
        with _sent(get_engine(settings)) as sent, pytest.raises(RuntimeError):
            _write_then_fail(settings, table)
        assert sent[0] == "BEGIN", sent
        with transaction(settings) as session:  # in autocommit the table would be there
            found = session.exec(text(f"SELECT to_regclass('{table}')")).scalar_one()  # type: ignore[call-overload]
        assert found is None
    finally:
        with transaction(settings) as session:
            session.exec(text(f"DROP TABLE IF EXISTS {table}"))  # type: ignore[call-overload]


def test_a_connection_is_pinged_only_after_waiting_and_replaced_if_dead(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(database_url, pool_size=1)  # its own pool, not the suite's
    pings: list[float] = []
    real_ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(time.monotonic())
        return real_ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    try:
        for _ in range(3):  # used again at once: no ping
            with engine.connect() as connection:
                backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        assert pings == []
        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        time.sleep(PING_AFTER_IDLE_SECONDS + 0.2)
        with engine.connect() as connection:  # pinged, found dead, replaced: no error
            replaced = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        assert len(pings) == 1
        assert replaced != backend
    finally:
        engine.dispose()
