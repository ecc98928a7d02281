"""Schemathesis over every operation of a real server: no 5xx, every response matching its
documented status, content type and schema, positive and negative data, fixed seed.

The first run calls without an API key: writes answer their documented 401. It splits the
operations into SHARES, each run by its own schemathesis process at the same time (one
process takes its operations one at a time), together every operation exactly once. The
second is schemathesis' stateful phase with a write key: it creates records and follows the
OpenAPI links of each 201 (read, history, correct with If-Match, retire) with real keys and
ETags.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from api import PROJECT_ROOT
from api.db import engine_for
from tests.conftest import DatabaseFactory
from tests.live import live_server

EXAMPLES = 5
STATEFUL_EXAMPLES = 20
SEED = 1
SHARES = 4
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


# A query string over AIGAP_MAX_QUERY_BYTES is refused with a 414 before it is parsed; for
# schemathesis' negative data, a 414 is a rejection like any other 4xx.
CONFIG = """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "414", "415", "422",
                     "428", "429"]
"""


def _schemathesis(base: str, report_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    process = _start_schemathesis(base, _schema_file(base, report_dir), report_dir, *options)
    try:
        stdout, stderr = process.communicate(timeout=900)
    finally:
        process.kill()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _schema_file(base: str, directory: Path) -> Path:
    """The server's OpenAPI document, fetched once with a generous timeout. Schemathesis
    loads a URL with a fixed 10 s read timeout, which several processes asking a loaded
    machine at once have exceeded; from a file, none of them waits on the server for it."""
    directory.mkdir(parents=True, exist_ok=True)
    schema = directory / "openapi.json"
    schema.write_bytes(httpx.get(base + "/openapi.json", timeout=60).content)
    return schema


def _start_schemathesis(
    base: str, schema: Path, report_dir: Path, *options: str
) -> subprocess.Popen[str]:
    report_dir.mkdir(parents=True, exist_ok=True)
    config = report_dir / "schemathesis.toml"
    config.write_text(CONFIG)
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            str(schema),
            "--url",
            base,
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
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _shares(paths: dict[str, dict[str, Any]]) -> list[dict[str, int]]:
    """The paths in SHARES groups of about equal work, each path with its operation count.
    A path's operations go together; its work grows with the parameters they take."""
    weights = {
        path: sum(1 + len(op.get("parameters", [])) for m, op in item.items() if m in METHODS)
        for path, item in paths.items()
    }
    shares: list[dict[str, int]] = [{} for _ in range(SHARES)]
    loads = [0] * SHARES
    for path in sorted(paths, key=lambda p: (-weights[p], p)):
        lightest = loads.index(min(loads))
        shares[lightest][path] = sum(1 for method in paths[path] if method in METHODS)
        loads[lightest] += weights[path]
    return shares


def _path_regex(paths: dict[str, int]) -> str:
    return "^(?:" + "|".join(re.escape(path) for path in sorted(paths)) + ")$"


def test_every_operation_keeps_its_contract(
    seeded_database: DatabaseFactory, tmp_path: Path
) -> None:
    with seeded_database() as url, live_server(url, workers=2, seeded=True) as server:
        schema = _schema_file(server.base, tmp_path)
        paths = json.loads(schema.read_text())["paths"]
        shares = _shares(paths)
        running = [
            _start_schemathesis(
                server.base,
                schema,
                tmp_path / f"share-{number}",
                "--include-path-regex",
                _path_regex(share),
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(EXAMPLES),
                # A range whose `from` is after its `to` is schema-valid (a schema cannot say
                # one parameter must not exceed another) and a documented 400 naming both.
                "--exclude-checks",
                "positive_data_acceptance",
            )
            for number, share in enumerate(shares)
        ]
        try:
            outputs = [process.communicate(timeout=900)[0] for process in running]
        finally:
            for process in running:
                process.kill()
        engine_for(url).dispose()
    operations = sum(1 for item in paths.values() for method in item if method in METHODS)
    tested = 0
    for process, output, share in zip(running, outputs, shares, strict=True):
        summary = output[-4000:]
        assert process.returncode == 0, summary
        assert "passed" in summary
        selected = re.search(r"Selected: (\d+)/(\d+)", summary)
        assert selected is not None, summary
        assert int(selected[1]) == sum(share.values()), summary
        assert int(selected[2]) == operations, summary
        assert re.search(rf"Tested: {selected[1]}\b", summary), summary
        tested += int(selected[1])
    assert tested == operations


def test_linked_write_sequences_keep_their_contract(
    seeded_database: DatabaseFactory, tmp_path: Path
) -> None:
    unlimited = {"AIGAP_WRITE_RATE_LIMIT": "1000000", "AIGAP_ADDRESS_RATE_LIMIT": "1000000"}
    with (
        seeded_database() as url,
        live_server(url, workers=1, settings=unlimited, seeded=True) as server,
    ):
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
