"""Engines and sessions. One engine per database URL per process."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from api.settings import Settings, normalize_database_url

BEGIN_IMMEDIATE = "aigap_begin_immediate"


def _make_sqlite_transactional(engine: Engine) -> None:
    # pysqlite opens transactions lazily and ignores SAVEPOINT semantics; take over BEGIN
    # so that transactions (and the test suite's savepoints) behave as on PostgreSQL.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so a reader never has to upgrade (which
        # SQLite answers with "database is locked" instead of waiting).
        immediate = connection.get_execution_options().get(BEGIN_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_ENGINES: dict[tuple[str, int, float], Engine] = {}


def engine_for(url: str, pool_size: int = 5, connect_timeout: float = 5.0) -> Engine:
    """The process's one engine for these settings.

    Never evicted: an engine dropped from a cache would take its open pooled connections
    to the garbage collector. `engine_for(url)` and the same call with the defaults spelled
    out are one engine, so whoever disposes it disposes the one in use.
    """
    key = (normalize_database_url(url), pool_size, float(connect_timeout))
    if key not in _ENGINES:
        _ENGINES[key] = _create(*key)
    return _ENGINES[key]


def dispose_all() -> None:
    """Close every pooled connection of every engine (end of a test session)."""
    for engine in _ENGINES.values():
        engine.dispose()


def _create(url: str, pool_size: int, connect_timeout: float) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=connect_timeout,
        connect_args={"connect_timeout": max(1, int(connect_timeout))},
    )


def get_engine(settings: Settings) -> Engine:
    return engine_for(settings.database_url, settings.db_pool_size, settings.db_connect_timeout)


def finish(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close: the end of every unit of work."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


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
