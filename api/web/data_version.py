"""The data version of a request, read once for many concurrent requests.

The data version is the newest change id in the database, so every server process agrees
on it. Reading it for each request costs a trip to the thread pool and a query; under load
requests share reads instead. A request is only ever answered by a read that *started after
it arrived*, so it never sees a version older than a write committed before it arrived,
whichever process took that write.

Most requests need no read at all: on SQLite, SQLite itself tells whether anything was
committed since the last read (SqliteCommits); on PostgreSQL, the host's commit counter,
LISTEN/NOTIFY and a heartbeat do (api/web/postgres_commits.py).
"""

import asyncio
import sqlite3
import weakref
from collections.abc import Hashable
from pathlib import Path
from typing import Annotated, Protocol

import anyio.to_thread
from fastapi import Depends
from sqlalchemy import Engine

from api.commit_counter import counter_of
from api.concurrency import database_deadline
from api.db import get_engine, reading
from api.deps import SettingsDep
from api.services.records import data_version
from api.settings import Settings


class Commits(Protocol):
    """Tells, without a query, whether any process may have committed since a look."""

    def look(self) -> Hashable | None:
        """A token that changes with every commit, or None when that cannot be told."""

    def revive(self) -> None:
        """A read has just found the database answering (on the event loop)."""

    def close(self) -> None: ...


class SqliteCommits:
    """Whether any connection, in any process, has committed to a SQLite file since the
    last look: `PRAGMA data_version` on a read-only connection of its own. A library call
    of a few microseconds, made on the event loop: no thread, no pool, no query. While a
    writer holds the file's lock it answers None (at once: no busy wait) and the reader
    asks the database instead."""

    def __init__(self, path: str) -> None:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        self._connection = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False
        )
        self._connection.execute("PRAGMA busy_timeout = 0")

    def look(self) -> int | None:
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    def revive(self) -> None:
        pass

    def close(self) -> None:
        self._connection.close()

    @staticmethod
    def of(engine: Engine) -> "SqliteCommits | None":
        url = engine.url
        path = url.database
        if url.get_backend_name() != "sqlite" or not path or path == ":memory:":
            return None
        if url.query.get("mode") == "memory" or path.startswith("file:"):
            return None
        try:
            return SqliteCommits(path)
        except sqlite3.Error:
            return None


def commits_of(engine: Engine, settings: Settings) -> Commits | None:
    """What tells this process that some process committed a change, if anything can."""
    sqlite = SqliteCommits.of(engine)
    if sqlite is not None or engine.dialect.name != "postgresql":
        return sqlite
    counter = counter_of(engine)
    if counter is None:
        return None
    from api.web.postgres_commits import PostgresCommits  # psycopg: only for PostgreSQL

    return PostgresCommits.of(
        engine, counter, settings.db_heartbeat_seconds, settings.db_connect_timeout
    )


class DataVersionReader:
    """One query at a time per process; every request waiting when it starts shares it.

    `commits` says when nothing was committed since the last read began; the version that
    read found is then still the newest, and no query is needed."""

    def __init__(self, engine: Engine, commits: Commits | None = None) -> None:
        self._engine = engine
        self._commits = commits
        self._known: tuple[Hashable, int] | None = None  # (commits seen before a read, its version)
        self._waiting: asyncio.Future[int] | None = None  # the next read, not yet started
        self._one_at_a_time = asyncio.Lock()

    def known(self) -> int | None:
        """The data version, if no connection has committed since the last read began."""
        if self._commits is None or self._known is None:
            return None
        seen = self._commits.look()
        if seen is None:
            self._known = None  # what happened meanwhile is unknown: read again
            return None
        return self._known[1] if seen == self._known[0] else None

    async def read(self) -> int:
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
            self._waiting.add_done_callback(_mark_retrieved)
            asyncio.get_running_loop().create_task(self._read_for(self._waiting))
        return await asyncio.shield(self._waiting)

    async def _read_for(self, batch: asyncio.Future[int]) -> None:
        async with self._one_at_a_time:
            self._waiting = None  # requests arriving from now on wait for the next read
            seen = self._commits.look() if self._commits is not None else None
            try:
                version = await anyio.to_thread.run_sync(self._query)
                if seen is not None:
                    self._known = (seen, version)
                elif self._commits is not None:
                    self._commits.revive()
                batch.set_result(version)
            except Exception as exc:  # the database is down: every waiting request hears it
                batch.set_exception(exc)

    def close(self) -> None:
        if self._commits is not None:
            self._commits.close()

    def _query(self) -> int:
        with self._engine.connect() as connection:
            return data_version(connection)


def _mark_retrieved(future: asyncio.Future[int]) -> None:
    if not future.cancelled():
        future.exception()  # the waiters re-raise it; don't also log it as unretrieved


_readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, DataVersionReader]] = (
    weakref.WeakKeyDictionary()
)


def _reader(settings: Settings) -> DataVersionReader:
    per_url = _readers.setdefault(asyncio.get_running_loop(), {})
    reader = per_url.get(settings.database_url)
    if reader is None:
        engine = get_engine(settings)
        reader = DataVersionReader(reading(engine), commits_of(engine, settings))
        per_url[settings.database_url] = reader
    return reader


def known_data_version(settings: Settings) -> int | None:
    """The data version if this process knows it without a query (on its event loop)."""
    return _reader(settings).known()


async def read_data_version(settings: SettingsDep) -> int:
    """The request's data version (FastAPI resolves it once per request)."""
    reader = _reader(settings)
    known = reader.known()
    if known is not None:
        return known
    with database_deadline(settings.db_read_timeout):
        return await reader.read()


def close_data_version_readers() -> None:
    """Stop listening for commits on this event loop (the app's shutdown)."""
    for reader in _readers.pop(asyncio.get_running_loop(), {}).values():
        reader.close()


DataVersionDep = Annotated[int, Depends(read_data_version)]
