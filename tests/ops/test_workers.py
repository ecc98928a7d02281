"""Several workers: a write through one worker is what every other worker then serves.

`aigap serve --workers 3` on PostgreSQL. Each client is pinned to one keep-alive connection
and so to one worker, identified from /proc (tests/workers.py); the product has no way to
say which worker answered, and needs none.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from api.db import engine_for
from tests.conftest import BACKEND, DatabaseFactory
from tests.live import LiveServer, live_server
from tests.workers import KEPT_ALIVE, WorkerClient, one_client_per_worker
from tests.writes.helpers import accelerators_us_2025

pytestmark = [
    pytest.mark.skipif(BACKEND != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.long_running(10),
]

RECORD = "/v1/observations/ai-accelerators-us-2025"
LIST = "/v1/observations"
LAG = "/v1/models/lag/current"
SCORE = "/v1/models/arena-scores/2025-03.deepseek-r1"
# The lag is how long ago the US first scored what China scores now. Seeded US monthly
# bests: 2024-10 1336, 2024-11 1365, ..., 2025-01 1381, 2025-02 1403. China's best in
# 2025-03 (deepseek-r1) is 1362, first reached in 2024-11: four months; 1390 is first
# reached in 2025-02: one month.
SEEDED_LAG, NEW_CN_SCORE, NEW_LAG = 4, 1390.0, 1


@pytest.fixture(scope="module")
def server(seeded_database: DatabaseFactory) -> Iterator[LiveServer]:
    with (
        seeded_database() as url,
        live_server(url, workers=3, settings=KEPT_ALIVE, seeded=True) as running,
    ):
        yield running
        engine_for(url).dispose()


def _read(worker: WorkerClient, since: int) -> dict[str, Any]:
    """What one worker says about the record, the list, the lag and the change feed."""
    record = worker.get(RECORD)
    listing = worker.get(LIST)
    lag = worker.get(LAG)
    changes = worker.get("/v1/changes", params={"since": since})
    for response in (record, listing, lag, changes):
        assert response.status_code == 200, (response.request.url, response.text)
    return {
        "record_etag": record.headers["etag"],
        "value": record.json()["value"],
        "revision": record.json()["revision"],
        "list_etag": listing.headers["etag"],
        "lag_etag": lag.headers["etag"],
        "lag": lag.json(),
        "changes": [
            (c["kind"], c["key"], c["revision"], c["operation"]) for c in changes.json()["items"]
        ],
        "changes_etag": changes.headers["etag"],
    }


def test_a_write_through_one_worker_is_read_back_through_the_others(server: LiveServer) -> None:
    with one_client_per_worker(server, workers=3) as workers:
        assert len(workers) == 3
        writer, *readers = workers
        assert len({writer.pid, *(reader.pid for reader in readers)}) == 3

        version = writer.get(LAG).json()["data_version"]
        before = [_read(worker, since=version) for worker in workers]
        first = before[0]
        assert all(seen == first for seen in before), before  # the workers agree
        assert first["changes"] == []  # nothing after the newest change
        assert first["lag"]["data_version"] == version
        assert first["lag"]["lag_months"] == SEEDED_LAG
        assert first["lag"]["cn"]["model"] == "deepseek-r1"
        assert first["value"] == 14_310_000

        auth = {"Authorization": f"Bearer {server.key}"}
        put = writer.request(
            "PUT",
            RECORD,
            json=accelerators_us_2025(15_000_000),
            headers={**auth, "If-Match": first["record_etag"]},
        )
        assert put.status_code == 200, put.text
        score = writer.get(SCORE)
        assert score.status_code == 200, score.text
        body = {
            k: v
            for k, v in score.json().items()
            if k in {"key", "source_key", "source_location", "cited_source", "note", "month"}
            or k in {"model_key", "ci_lower", "ci_upper", "votes"}
        }
        put_score = writer.request(
            "PUT",
            SCORE,
            json={**body, "score": NEW_CN_SCORE},
            headers={**auth, "If-Match": score.headers["etag"]},
        )
        assert put_score.status_code == 200, put_score.text

        after = [_read(reader, since=version) for reader in readers]
        assert after[0] == after[1], after  # the two other workers agree
        seen = after[0]
        assert seen["record_etag"] == put.headers["etag"] != first["record_etag"]
        assert seen["value"] == 15_000_000
        assert seen["revision"] == 2
        assert seen["list_etag"] != first["list_etag"]
        assert seen["lag_etag"] != first["lag_etag"]
        assert seen["lag"]["data_version"] == version + 2
        assert seen["lag"]["lag_months"] == NEW_LAG
        assert seen["lag"]["cn"] == {
            "model": "deepseek-r1",
            "organization": "DeepSeek",
            "score": NEW_CN_SCORE,
            "ci_lower": None,
            "ci_upper": None,
        }
        assert seen["changes"] == [
            ("observations", "ai-accelerators-us-2025", 2, "revise"),
            ("arena_scores", "2025-03.deepseek-r1", 2, "revise"),
        ]
        assert seen["changes_etag"] != first["changes_etag"]
