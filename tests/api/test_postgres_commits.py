"""PostgreSQL: a worker knows of commits without asking (api/web/postgres_commits.py).

A write through the service is seen by the next look on this host (the commit counter);
a lost listening connection, or a database that stops answering, means asking again until
it answers; nothing committed meanwhile is missed."""

import asyncio
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.commit_counter import CommitCounter, counter_of, counter_path, discard_counter
from api.db import engine_for, finish, mark_writing
from api.models.base import Operation
from api.models.changes import Change
from api.web.data_version import DataVersionReader
from api.web.postgres_commits import RETRY_SECONDS, PostgresCommits
from tests.api.test_data_version import until_known
from tests.conftest import BACKEND, DatabaseFactory
from tests.tcp_proxy import pausable_proxy

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's LISTEN/NOTIFY")

HEARTBEAT = 0.05


@pytest.fixture
def engine(empty_migrated_engine: Engine) -> Engine:
    return empty_migrated_engine


def _listener(engine: Engine, heartbeat: float = HEARTBEAT) -> PostgresCommits:
    counter = counter_of(engine)
    assert counter is not None
    return PostgresCommits.of(engine, counter, heartbeat, timeout=2.0)


async def _listening(commits: PostgresCommits) -> tuple[int, int, int]:
    commits.revive()
    deadline = time.monotonic() + 10
    while (token := commits.look()) is None:
        assert time.monotonic() < deadline, "never listening"
        await asyncio.sleep(0.01)
    return token


def _change(session: Session, key: str) -> None:
    session.add(
        Change(
            kind="sources",
            key=key,
            revision=1,
            operation=Operation.create,
            changed_at=datetime.now(UTC),
        )
    )


def _commit_around_the_service(engine: Engine, key: str) -> int:
    """A commit no worker announces (a tool, another host): only NOTIFY tells of it."""
    with Session(engine) as session:
        _change(session, key)
        session.commit()
        return int(session.execute(text("SELECT max(id) FROM changes")).scalar_one())


def test_the_counter_is_shared_by_the_processes_of_the_host(engine: Engine) -> None:
    counter = counter_of(engine)
    assert counter is not None
    assert counter_of(engine) is counter  # one per database in a process
    before = counter.read()
    bump = "import sys; from api.commit_counter import CommitCounter as C; C(sys.argv[1]).bump()"
    subprocess.run([sys.executable, "-c", bump, str(counter.path)], check=True)
    assert counter.read() == before + 1
    assert CommitCounter(counter.path).read() == before + 1


def test_only_a_writing_session_announces_its_commit(engine: Engine) -> None:
    counter = counter_of(engine)
    assert counter is not None
    before = counter.read()
    reading = Session(engine)
    reading.execute(text("SELECT 1"))
    finish(reading, commit=True)
    assert counter.read() == before
    writing = Session(engine)
    mark_writing(writing)
    _change(writing, "written")
    finish(writing, commit=True)
    assert counter.read() == before + 1
    failed = Session(engine)  # rolled back: nothing to announce
    mark_writing(failed)
    _change(failed, "rolled-back")
    finish(failed, commit=False)
    assert counter.read() == before + 1


def test_a_write_through_the_service_is_seen_at_the_next_look(engine: Engine) -> None:
    """No moment in between: the writer's process bumps the host's counter before it
    answers, so the very next look, with nothing read from the socket, sees it."""

    async def scenario() -> None:
        reader = DataVersionReader(engine, _listener(engine))
        first = await until_known(reader)
        writing = Session(engine)
        mark_writing(writing)
        _change(writing, "through-the-service")
        await asyncio.to_thread(finish, writing, commit=True)
        assert reader.known() is None
        assert await reader.read() == first + 1
        reader.close()

    asyncio.run(scenario())


def test_a_lost_connection_means_asking_until_listening_again_and_misses_nothing(
    engine: Engine,
) -> None:
    async def scenario() -> None:
        commits = _listener(engine)
        reader = DataVersionReader(engine, commits)
        first = await until_known(reader)
        with engine.connect() as admin:
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'aigap-listener' AND datname = current_database()"
                )
            )
        deadline = time.monotonic() + 5
        while reader.known() is not None:
            assert time.monotonic() < deadline, "the lost connection was never noticed"
            await asyncio.sleep(0.01)
        assert not commits.listening
        # Committed while nobody listens: the version must still not be taken as known.
        committed = await asyncio.to_thread(_commit_around_the_service, engine, "unheard")
        assert committed > first
        assert await until_known(reader) == committed
        assert commits.listening
        reader.close()
        assert not commits.listening

    asyncio.run(scenario())


def test_a_database_that_stops_answering_is_not_trusted_until_it_answers(
    engine: Engine,
) -> None:
    url = engine.url
    assert url.host is not None
    assert url.port is not None
    with pausable_proxy(url.host, url.port) as proxy:
        proxied = engine_for(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))

        async def scenario() -> None:
            commits = _listener(proxied)
            token = await _listening(commits)
            await asyncio.sleep(4 * HEARTBEAT)
            assert commits.look() == token  # heartbeats answered: trusted
            proxy.pause()
            started = time.monotonic()
            while commits.look() is not None:
                assert time.monotonic() - started < 1.0, "still trusted with no answer"
                await asyncio.sleep(0.01)
            await asyncio.sleep(4 * HEARTBEAT)
            assert commits.look() is None
            assert commits.listening  # the connection is not lost, only silent
            proxy.resume()
            started = time.monotonic()
            while commits.look() is None:
                assert time.monotonic() - started < 1.0, "not trusted again once answering"
                await asyncio.sleep(0.01)
            assert commits.look() == token  # the same connection, nothing committed
            commits.close()

        try:
            asyncio.run(scenario())
        finally:
            proxied.dispose()
            discard_counter(str(proxied.url))


def test_a_dropped_databases_counter_file_is_removed(new_database: DatabaseFactory) -> None:
    with new_database() as url:
        engine = engine_for(url)
        counter = counter_of(engine)
        assert counter is not None
        assert counter.path == counter_path(url)  # the engine's URL and the given one agree
        counter.bump()
        assert counter.path.exists()
        engine.dispose()
    assert not counter.path.exists()


def test_a_failed_connection_is_tried_again_after_a_pause_not_at_once(engine: Engine) -> None:
    counter = counter_of(engine)
    assert counter is not None
    with socket.socket() as unused:  # a port nothing listens on: refused at once
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    commits = PostgresCommits(
        f"host=127.0.0.1 port={port} dbname=x connect_timeout=1", counter, HEARTBEAT, 1.0
    )
    attempts: list[float] = []
    open_connection = commits._open

    def counted() -> Any:
        attempts.append(time.monotonic())
        return open_connection()

    commits._open = counted  # type: ignore[method-assign]

    async def scenario() -> None:
        for _ in range(20):  # as after every read, while not listening
            commits.revive()
            await asyncio.sleep(0.02)
        assert len(attempts) == 1
        assert not commits.listening
        assert commits.look() is None
        await asyncio.sleep(RETRY_SECONDS)
        commits.revive()
        await asyncio.sleep(0.2)
        assert len(attempts) == 2
        commits.close()

    asyncio.run(scenario())
