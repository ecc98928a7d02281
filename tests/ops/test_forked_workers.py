"""Several workers are forks of a supervisor that imported the app once, and /metrics still
counts every worker's requests (prometheus_client picks its file-backed counters at import,
so the supervisor must know of the shared directory before it imports anything)."""

import re
from pathlib import Path

import pytest

from api.db import engine_for
from tests.conftest import DatabaseFactory
from tests.live import LOCAL, live_server
from tests.workers import worker_pids

pytestmark = pytest.mark.long_running(8)

REQUESTS = 40


def _command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def test_workers_are_forks_and_metrics_count_them_all(seeded_database: DatabaseFactory) -> None:
    with seeded_database() as url, live_server(url, workers=2, seeded=True) as server:
        workers = worker_pids(server)
        assert len(workers) == 2
        supervisor = _command_line(server.process.pid)
        for pid in workers:  # a spawned worker runs `python -c "... spawn_main(...)"`
            assert _command_line(pid) == supervisor
        for _ in range(REQUESTS):  # new connections: they spread over the workers
            assert LOCAL.get(server.base + "/v1/models/lag/current").status_code == 200
        metrics = LOCAL.get(server.base + "/metrics").text
        engine_for(url).dispose()
    counted = {
        match[1]: float(match[2])
        for match in re.finditer(r"^aigap_http_requests_total\{(.*)\} (\S+)$", metrics, re.M)
    }
    lag = [value for labels, value in counted.items() if "/v1/models/lag/current" in labels]
    assert sum(lag) == REQUESTS, metrics
