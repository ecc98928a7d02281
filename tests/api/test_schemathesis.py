"""Schemathesis over every operation of a real server: no 5xx, every response matching its
documented status, content type and schema, positive and negative data, fixed seed.

The first run calls without an API key: writes answer their documented 401. The second is
schemathesis' stateful phase with a write key: it creates records and follows the OpenAPI
links of each 201 (read, history, correct with If-Match, retire) with real keys and ETags.
"""

import subprocess
import sys
from pathlib import Path

from api import PROJECT_ROOT
from api.db import engine_for
from tests.conftest import DatabaseFactory
from tests.live import live_server

EXAMPLES = 5
STATEFUL_EXAMPLES = 20
SEED = 1


# A query string over AIGAP_MAX_QUERY_BYTES is refused with a 414 before it is parsed; for
# schemathesis' negative data, a 414 is a rejection like any other 4xx.
CONFIG = """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "414", "415", "422",
                     "428", "429"]
"""


def _schemathesis(base: str, report_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    config = report_dir / "schemathesis.toml"
    config.write_text(CONFIG)
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"{base}/openapi.json",
            "--checks",
            "all",
            "--seed",
            str(SEED),
            "--workers",
            "1",  # schemathesis' coverage phase has raised internal errors with 2
            "--report-dir",
            str(report_dir),
            *options,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_every_operation_keeps_its_contract(new_database: DatabaseFactory, tmp_path: Path) -> None:
    with new_database() as url, live_server(url, workers=1) as server:
        result = _schemathesis(
            server.base,
            tmp_path,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(EXAMPLES),
            # A range whose `from` is after its `to` is schema-valid (a schema cannot say
            # one parameter must not exceed another) and a documented 400 naming both.
            "--exclude-checks",
            "positive_data_acceptance",
        )
        engine_for(url).dispose()
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    assert "passed" in summary


def test_linked_write_sequences_keep_their_contract(
    new_database: DatabaseFactory, tmp_path: Path
) -> None:
    unlimited = {"AIGAP_WRITE_RATE_LIMIT": "1000000", "AIGAP_ADDRESS_RATE_LIMIT": "1000000"}
    with new_database() as url, live_server(url, workers=1, settings=unlimited) as server:
        result = _schemathesis(
            server.base,
            tmp_path,
            "--phases",
            "stateful",
            "--max-examples",
            str(STATEFUL_EXAMPLES),
            "--header",
            f"Authorization: Bearer {server.key}",
            # A schema-valid body can still name an indicator, model or source that does
            # not exist: that is a documented 422, not a contract breach.
            "--exclude-checks",
            "positive_data_acceptance",
        )
        engine_for(url).dispose()
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    assert "Stateful" in result.stdout, summary
