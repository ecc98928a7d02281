"""Concurrent writers and a killed import, against a real server process."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from api.db import engine_for
from api.models import ArenaScore
from tests.conftest import DatabaseFactory
from tests.live import LOCAL, LiveServer, live_server
from tests.writes.helpers import accelerators_us_2025

pytestmark = pytest.mark.long_running(16)

URL = "/v1/observations/ai-accelerators-us-2025"


@pytest.fixture
def server(seeded_database: DatabaseFactory) -> Iterator[LiveServer]:
    with seeded_database() as url, live_server(url, seeded=True) as running:
        yield running
        engine_for(url).dispose()


def test_eight_writers_with_the_same_etag_one_lands_seven_get_412(server: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {server.key}"}
    etag = LOCAL.get(server.base + URL).headers["etag"]
    barrier = threading.Barrier(8)

    def write(i: int) -> int:
        barrier.wait()
        return LOCAL.put(
            server.base + URL,
            json=accelerators_us_2025(15_000_000 + i),
            headers={**auth, "If-Match": etag},
            timeout=30,
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(write, range(8)))
    assert codes == [200] + [412] * 7
    history = LOCAL.get(server.base + URL + "/revisions").json()
    assert [r["revision"] for r in history] == [1, 2]


def test_eight_writers_retrying_on_412_lose_no_update(server: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {server.key}"}
    barrier = threading.Barrier(8)

    def write(i: int) -> int:
        barrier.wait()
        for attempt in range(100):
            etag = LOCAL.get(server.base + URL, timeout=30).headers["etag"]
            code = LOCAL.put(
                server.base + URL,
                json=accelerators_us_2025(20_000_000 + i),
                headers={**auth, "If-Match": etag},
                timeout=30,
            ).status_code
            if code == 200:
                return attempt
            assert code == 412, code
        raise AssertionError("never landed")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(8)))
    history = LOCAL.get(server.base + URL + "/revisions").json()
    assert len(history) == 9
    assert sorted(r["value"] for r in history[1:]) == [20_000_000 + i for i in range(8)]
    feed = LOCAL.get(
        server.base + "/v1/changes", params={"kind": "observations", "limit": 1000}
    ).json()
    mine = [c["revision"] for c in feed["items"] if c["key"] == "ai-accelerators-us-2025"]
    assert mine == list(range(1, 10))


def test_a_server_killed_during_an_import_leaves_all_or_nothing(server: LiveServer) -> None:
    engine = engine_for(server.database_url)
    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(ArenaScore)).one()
    rows = ["month,model,organization,country,score"] + [
        f"{3000 + i // 12:04d}-{i % 12 + 1:02d},m-{i % 50},Lab,US,{1000 + i % 300}"
        for i in range(100_000)
    ]
    body = ("\n".join(rows) + "\n").encode()

    def send() -> None:
        try:
            LOCAL.post(
                server.base + "/v1/models/arena-scores/import",
                content=body,
                headers={"Authorization": f"Bearer {server.key}", "Content-Type": "text/csv"},
                timeout=120,
            )
        except httpx.HTTPError:
            pass  # the server dies mid-request

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(2.0)  # well inside the import (100,000 rows take far longer)
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    sender.join(timeout=30)
    engine.dispose()
    with Session(engine) as session:
        after = session.exec(select(func.count()).select_from(ArenaScore)).one()
    assert after in (before, before + 100_000)
    assert after == before, "the import finished before the kill: make the file larger"
