"""The database stops while the server runs: 503 problems at once, then recovery on its own.

A real server (two workers) on a private PostgreSQL cluster that the test stops and starts
again; the shared server that the other tests use is never touched. Each worker is reached
through its own pinned connection (tests/workers.py), so both are seen failing and both
are seen recovering.
"""

import time
from collections.abc import Iterator
from typing import Any

import pytest

from api.db import engine_for
from tests.conftest import BACKEND
from tests.live import LiveServer, live_server
from tests.pg_cluster import PrivateCluster, private_cluster
from tests.workers import KEPT_ALIVE, WorkerClient, one_client_per_worker

pytestmark = [
    pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.long_running(35),
]

WORKERS = 2
READY = "/readyz"
DATA = (
    "/v1/observations",
    "/v1/observations/ai-accelerators-us-2025",
    "/v1/models/lag/current",
    "/v1/scorecard",
)
PROMPTLY = 1.0  # seconds for a 503 once the database is gone
RECOVERY = 15.0  # seconds for every worker to answer again once it is back


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    """One cluster and one server for the file: each test leaves the cluster running and
    both workers answering again, which the test itself asserts."""
    with private_cluster() as running:
        yield running


# AIGAP_DB_READ_TIMEOUT for these servers: short, so the five paths time out quickly.
READ_TIMEOUT = 0.5
# AIGAP_DB_HEARTBEAT_SECONDS: a worker answers from its caches without a query only while
# the database answered its listening connection less than twice this long ago.
HEARTBEAT = 0.1


@pytest.fixture(scope="module")
def server(cluster: PrivateCluster) -> Iterator[LiveServer]:
    url = cluster.create_database("aigap")
    try:
        settings = {
            "AIGAP_DB_READ_TIMEOUT": str(READ_TIMEOUT),
            "AIGAP_DB_HEARTBEAT_SECONDS": str(HEARTBEAT),
            **KEPT_ALIVE,
        }
        with live_server(url, workers=WORKERS, settings=settings) as running:
            yield running
    finally:
        engine_for(url).dispose()


def _answers(worker: WorkerClient) -> dict[str, tuple[str | None, Any]]:
    """Each path's ETag and body, all 200. With the database up, a read slower than
    READ_TIMEOUT (a loaded machine) is a 503, and is asked again as a client would."""
    seen = {}
    for path in (READY, *DATA):
        deadline = time.monotonic() + RECOVERY
        response = worker.get(path)
        while response.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            response = worker.get(path)
        assert response.status_code == 200, (worker.pid, path, response.text)
        seen[path] = (response.headers.get("etag"), response.json())
    return seen


def _assert_prompt_problem(worker: WorkerClient, path: str, within: float = PROMPTLY) -> None:
    started = time.monotonic()
    response = worker.get(path)
    elapsed = time.monotonic() - started
    assert elapsed < within, f"{path} on worker {worker.pid} took {elapsed:.2f} s"
    assert response.status_code == 503, (worker.pid, path, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    problem = response.json()
    assert problem["status"] == 503
    assert problem["title"] == "Service unavailable"
    assert problem["type"].startswith("https://aigap.dev/problems/")
    assert problem["detail"]
    assert problem["instance"] == path
    assert "etag" not in response.headers


def _recovered(workers: list[WorkerClient]) -> bool:
    for worker in workers:
        for path in (READY, *DATA):
            if worker.get(path).status_code != 200:
                return False
    return True


def test_a_stopped_database_is_a_prompt_503_and_its_return_is_noticed(
    server: LiveServer, cluster: PrivateCluster
) -> None:
    with one_client_per_worker(server, workers=WORKERS) as workers:
        before = [_answers(worker) for worker in workers]
        assert before[0] == before[1]
        assert before[0][READY][1]["status"] == "ready"

        cluster.stop()
        for _ in range(3):  # pooled connections first, then fresh attempts
            for worker in workers:
                for path in (READY, *DATA):
                    _assert_prompt_problem(worker, path)

        cluster.start()
        deadline = time.monotonic() + RECOVERY
        while not _recovered(workers):
            assert time.monotonic() < deadline, f"not recovered within {RECOVERY} s"
            time.sleep(0.2)
        after = [_answers(worker) for worker in workers]
        assert after == before  # the same data, the same ETags, on both workers


def test_a_hung_database_is_a_503_after_the_read_timeout_not_a_hang(
    server: LiveServer, cluster: PrivateCluster
) -> None:
    """SIGSTOPped PostgreSQL: connections are accepted and never answered. What a worker
    knows is trusted for two heartbeats after the database last answered; then every
    request asks it, and is a 503 at its deadline."""
    with one_client_per_worker(server, workers=WORKERS) as workers:
        before = [_answers(worker) for worker in workers]
        cluster.freeze()
        time.sleep(2 * HEARTBEAT + 0.05)
        try:
            for _ in range(3):  # a stuck read in flight must not stall the later ones
                for worker in workers:
                    for path in (READY, *DATA):
                        _assert_prompt_problem(worker, path, within=READ_TIMEOUT + 1.0)
        finally:
            cluster.thaw()
        deadline = time.monotonic() + RECOVERY
        while not _recovered(workers):
            assert time.monotonic() < deadline, f"not recovered within {RECOVERY} s"
            time.sleep(0.2)
        assert [_answers(worker) for worker in workers] == before
