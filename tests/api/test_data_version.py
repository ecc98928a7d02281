"""The data version read for many requests at once: shared, never older than a commit."""

import asyncio
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from api.db import get_engine
from api.errors import ServiceUnavailable
from api.models.base import Operation
from api.models.changes import Change
from api.settings import Settings
from api.web.data_version import DataVersionReader, commits_of, read_data_version
from tests.live import migrate


@pytest.fixture
def engine(empty_migrated_engine: Engine) -> Engine:
    return empty_migrated_engine


def _commit_change(engine: Engine, key: str) -> int:
    with Session(engine) as session:
        change = Change(
            kind="sources",
            key=key,
            revision=1,
            operation=Operation.create,
            changed_at=datetime.now(UTC),
        )
        session.add(change)
        session.commit()
        assert change.id is not None
        return change.id


def _count_version_queries(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "max(changes.id)" in statement:
            seen.append(statement)

    return seen


def test_concurrent_requests_share_reads(engine: Engine) -> None:
    newest = _commit_change(engine, "a")
    queries = _count_version_queries(engine)

    async def many() -> list[int]:
        reader = DataVersionReader(engine)
        return await asyncio.gather(*(reader.read() for _ in range(200)))

    versions = asyncio.run(many())
    assert versions == [newest] * 200
    assert 1 <= len(queries) <= 2  # the first read, and at most one for the rest


def test_a_read_is_never_older_than_a_commit_before_it(engine: Engine) -> None:
    async def interleaved() -> list[tuple[int, int]]:
        reader = DataVersionReader(engine)
        pairs = []
        for i in range(30):
            pending = asyncio.ensure_future(reader.read())  # in flight while we commit
            await asyncio.sleep(0)
            committed = await asyncio.to_thread(_commit_change, engine, f"k{i}")
            seen = await reader.read()
            pairs.append((committed, seen))
            await pending
        return pairs

    for committed, seen in asyncio.run(interleaved()):
        assert seen >= committed


def test_a_database_error_reaches_every_waiting_request_and_the_next_read_retries(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = tmp_path_factory.mktemp("missing") / "no-such-dir" / "x.db"
    broken = create_engine(f"sqlite:///{path}")

    async def attempt() -> list[object]:
        reader = DataVersionReader(broken)
        return await asyncio.gather(*(reader.read() for _ in range(5)), return_exceptions=True)

    outcomes = asyncio.run(attempt())
    assert all(isinstance(o, OperationalError) for o in outcomes)
    path.parent.mkdir()
    migrate(f"sqlite:///{path}")  # the database is back, and empty: version 0
    assert asyncio.run(attempt()) == [0] * 5
    broken.dispose()


def test_a_hung_database_is_a_503_after_the_read_timeout(engine: Engine) -> None:
    settings = Settings(database_url=str(engine.url), db_read_timeout=0.3)
    hung = get_engine(settings)
    release = threading.Event()

    def hang(*_args: object) -> None:
        release.wait(5)

    event.listen(hung, "before_cursor_execute", hang)
    try:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match=r"did not answer within 0\.3 s"):
            asyncio.run(read_data_version(settings))
        assert time.monotonic() - started < 1.5
    finally:
        release.set()
        event.remove(hung, "before_cursor_execute", hang)
        # The abandoned read still holds a pooled connection: let it give it back before
        # the fixture disposes the pool (else it would be garbage-collected still open).
        pool = hung.pool
        assert isinstance(pool, QueuePool)
        deadline = time.monotonic() + 10
        while pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pool.checkedout() == 0


async def until_known(reader: DataVersionReader) -> int:
    """Read until the reader knows the version without asking (on PostgreSQL, once the
    first read has started it listening)."""
    deadline = time.monotonic() + 10
    while (known := reader.known()) is None:
        assert time.monotonic() < deadline, "the version never became known"
        await reader.read()
        await asyncio.sleep(0.01)
    return known


def test_no_query_while_nothing_was_committed_and_a_commit_is_seen(engine: Engine) -> None:
    """A process knows whether anything was committed without asking (SQLite: PRAGMA
    data_version; PostgreSQL: LISTEN/NOTIFY): no query while nothing was, and a commit by
    a connection outside the service is noticed without a query."""
    settings = Settings(database_url=str(engine.url))
    commits = commits_of(engine, settings)
    assert commits is not None

    async def scenario() -> None:
        reader = DataVersionReader(engine, commits)
        first = await until_known(reader)
        queries = _count_version_queries(engine)
        assert [reader.known() for _ in range(100)] == [first] * 100
        await asyncio.sleep(0.3)  # heartbeats meanwhile: still known, still no query
        assert reader.known() == first
        assert queries == []
        committed = await asyncio.to_thread(_commit_change, engine, "seen")
        deadline = time.monotonic() + 5
        while reader.known() is not None:
            assert time.monotonic() < deadline, "the commit was never noticed"
            await asyncio.sleep(0.001)
        assert await reader.read() == committed
        assert reader.known() == committed
        assert len(queries) == 1
        reader.close()

    asyncio.run(scenario())
