"""Engines and sessions. One engine per database URL per process."""

import functools
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session

from api.commit_counter import announce_commit
from api.deadlines import PROGRESS_STEPS, SqliteDeadline, commit_outcome
from api.settings import Settings, normalize_database_url

BEGIN_IMMEDIATE = "aigap_begin_immediate"
# Execution option: on PostgreSQL, run the statements without BEGIN (api.db.reading).
NO_TRANSACTION = "aigap_no_transaction"
# Session info: the session took the write lock (mark_writing).
WRITING = "aigap_writing"
# A pooled PostgreSQL connection idle for longer than this is pinged before it is used.
PING_AFTER_IDLE_SECONDS = 1.0


def _make_sqlite_transactional(engine: Engine, statement_timeout: float) -> None:
    # pysqlite opens transactions lazily and ignores SAVEPOINT semantics; take over BEGIN
    # so that transactions (and the test suite's savepoints) behave as on PostgreSQL.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        busy_timeout_ms = _milliseconds(statement_timeout, 5.0)
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()
        deadline = SqliteDeadline(statement_timeout, busy_timeout_ms)
        dbapi_connection.set_progress_handler(deadline, PROGRESS_STEPS)
        record.info["deadline"] = deadline

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(connection: Any, cursor: Any, *_args: Any) -> None:
        connection.info["deadline"].start_statement(cursor.connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so a reader never has to upgrade (which
        # SQLite answers with "database is locked" instead of waiting).
        immediate = connection.get_execution_options().get(BEGIN_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _ping_when_idle(engine: Engine) -> None:
    """Ping a connection before use only if it sat in the pool for a while.

    SQLAlchemy's pool_pre_ping pings at every checkout: a round trip of every read's
    four on PostgreSQL (two checkouts: the data version and the page). A connection that
    was in use a moment ago needs none; one that waited in the pool may have outlived a
    restart of the server, and is replaced (DisconnectionError: the pool connects anew).
    A statement on a connection that dies later still fails and invalidates the pool, as
    with pool_pre_ping.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
            raise DisconnectionError("closed while it was in use (a deadline passed)")
        idle_since = record.info.get("idle_since", -math.inf)
        if time.monotonic() - idle_since <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dbapi_connection.closed or dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError(str(error)) from error
            raise


def _milliseconds(seconds: float | None, unlimited: float) -> int:
    """A timeout for the database's own settings; `unlimited` stands for none."""
    if seconds is None or math.isinf(seconds):
        seconds = unlimited
    return max(1, int(seconds * 1000)) if seconds else 0


def postgres_connect_args(
    connect_timeout: float, statement_timeout: float | None
) -> dict[str, Any]:
    """psycopg's connection arguments: its connect timeout, the server's statement_timeout."""
    return {
        "connect_timeout": max(1, int(connect_timeout)),
        "options": f"-c statement_timeout={_milliseconds(statement_timeout, 0.0)}",
    }


_ENGINES: dict[tuple[str, int, float, float | None], Engine] = {}


def engine_for(
    url: str,
    pool_size: int = 5,
    connect_timeout: float = 5.0,
    statement_timeout: float | None = None,
) -> Engine:
    """The process's one engine for these settings.

    Never evicted: an engine dropped from a cache would take its open pooled connections
    to the garbage collector. `engine_for(url)` and the same call with the defaults spelled
    out are one engine, so whoever disposes it disposes the one in use. Without
    `statement_timeout` (migrations, tools) a statement has no deadline of its own; the
    server's engine gets AIGAP_DB_STATEMENT_TIMEOUT.
    """
    key = (
        normalize_database_url(url),
        pool_size,
        float(connect_timeout),
        None if statement_timeout is None else float(statement_timeout),
    )
    if key not in _ENGINES:
        _ENGINES[key] = _create(*key)
    return _ENGINES[key]


def dispose_all() -> None:
    """Close every pooled connection of every engine (end of a test session)."""
    for engine in _ENGINES.values():
        engine.dispose()


def _create(
    url: str, pool_size: int, connect_timeout: float, statement_timeout: float | None
) -> Engine:
    if url.startswith("sqlite"):
        pooled = ":memory:" not in url and "mode=memory" not in url
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": statement_timeout or 5},
            **({"pool_timeout": connect_timeout, "pool_size": pool_size} if pooled else {}),
        )
        _make_sqlite_transactional(engine, statement_timeout or math.inf)
        return engine
    from api.postgres_deadlines import DeadlineConnection  # psycopg: only for PostgreSQL

    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=connect_timeout,
        connect_args=postgres_connect_args(connect_timeout, statement_timeout),
    )

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        # psycopg in autocommit: the transaction is begun here, on the "begin" event, as
        # on SQLite; the read path's reads then need none (NO_TRANSACTION).
        connection = DeadlineConnection.connect(*cargs, autocommit=True, **cparams)
        connection.statement_timeout = statement_timeout or math.inf
        return connection

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if not connection.get_execution_options().get(NO_TRANSACTION):
            connection.exec_driver_sql("BEGIN")

    _ping_when_idle(engine)
    return engine


def get_engine(settings: Settings) -> Engine:
    return engine_for(
        settings.database_url,
        settings.db_pool_size,
        settings.db_connect_timeout,
        settings.db_statement_timeout,
    )


@functools.cache  # engines live as long as the process (engine_for)
def reading(engine: Engine) -> Engine:
    """The engine for the read path's reads (the data version, a list's count and page):
    the same pool, and on PostgreSQL no transaction around them.

    A transaction added a BEGIN and a ROLLBACK to each read, two round trips of a list
    request's eight statements (with the pool's ping, two checkouts). Nothing there needs
    one snapshot: a list's count is remembered per data version, read apart from it.
    SQLite's reads cost no round trip, and it keeps its transactions.
    """
    return engine.execution_options(**{NO_TRANSACTION: True})


def mark_writing(session: Session) -> None:
    """This session writes: once it has committed, the other processes of this host are
    told (api.commit_counter), before the writer's answer leaves."""
    session.info[WRITING] = True


def finish(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close: the end of every unit of work."""
    wrote = session.info.pop(WRITING, False) and commit
    bind = session.get_bind() if wrote else None
    try:
        if commit:
            with commit_outcome():
                session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if bind is not None:  # committed, or its outcome unknown: either way, look again
            announce_commit(bind)


@contextmanager
def transaction(settings: Settings) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    session = Session(get_engine(settings))
    try:
        yield session
    except BaseException:
        finish(session, commit=False)
        raise
    finish(session, commit=True)
