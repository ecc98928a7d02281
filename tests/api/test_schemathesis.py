"""Schemathesis over every operation of a real server: no 5xx, every response matching its
documented status, content type and schema, positive and negative data, fixed seed.

The reads (every GET) run without an API key, split into READ_SHARES of about equal work,
each run by its own schemathesis process at the same time (one process takes its operations
one at a time). The writes run in one more process with a write key, so that their bodies
reach validation: a keyless write is refused at the door whatever its body, and thousands
of body variants would all test that one line. Schemathesis' `ignored_auth` check still
sends a write that succeeded again without the key and with a wrong one (once per
operation), and expects the refusal. Together the processes test every operation exactly once.
A `.csv` twin (api/web/csv_routes.py) is the JSON operation's own endpoint under a second
path, with the same parameters (held by `_twins`): the coverage phase's boundary and
negative values for those parameters run once, on the JSON operation, and the twin gets the
examples and fuzzing phases, positive and negative, with every check on its CSV answers.
Its coverage phase would send the same ~120 values per operation to the same validation a
second time: a third of the contract test's requests.
The second test is schemathesis' stateful phase with a write key, against the same server
after the first: it creates records and follows the OpenAPI links of each 201 (read,
history, correct with If-Match, retire) with real keys and ETags.
"""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import PROJECT_ROOT
from api.db import engine_for
from tests.conftest import DatabaseFactory
from tests.live import LOCAL, LiveServer, live_server

pytestmark = pytest.mark.long_running(55)

EXAMPLES = 5
STATEFUL_EXAMPLES = 20
SEED = 1
READ_SHARES = 3
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
WRITE_METHODS = METHODS - {"get"}


# The hooks keep `requests` from reading proxies and ~/.netrc from the environment (the
# module's docstring says why). For schemathesis' negative data these are rejections like any
# other 4xx: a query string over AIGAP_MAX_QUERY_BYTES is refused with a 414 before it is
# parsed, and a write's If-Match is weighed before its body is read (RFC 9110 13.2.1), so a
# stale one is a 412.
CONFIG = f"""
hooks = '{Path(__file__).with_name("schemathesis_hooks.py")}'

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "412", "414", "415",
                     "422", "428", "429"]
"""
# A dead proxy for every request, which the hooks must keep `requests` from using: a run that
# loaded no hooks reaches no server and fails.
DEAD_PROXY_ENVIRONMENT = {
    **{name: value for name, value in os.environ.items() if name.lower() != "no_proxy"},
    "http_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
}
# The server runs without rate limits: the write process sends hundreds of keyed writes.
UNLIMITED = {"AIGAP_WRITE_RATE_LIMIT": "1000000", "AIGAP_ADDRESS_RATE_LIMIT": "1000000"}


def _twins(paths: dict[str, dict[str, Any]]) -> list[str]:
    """The GET paths `X.csv` whose parameters are exactly those of the GET of `X`."""
    return sorted(
        path
        for path, item in paths.items()
        if path.endswith(".csv")
        and "get" in item
        and "get" in paths.get(path.removesuffix(".csv"), {})
        and item["get"].get("parameters")
        == paths[path.removesuffix(".csv")]["get"].get("parameters")
    )


def _config(paths: dict[str, dict[str, Any]]) -> str:
    """CONFIG, and no coverage phase for the `.csv` twins (the module's docstring)."""
    twins = _twins(paths)
    if not twins:
        return CONFIG
    return (
        CONFIG
        + f"""
[[operations]]
include-name-regex = '{_reads_of(twins)}'
phases.coverage.enabled = false
"""
    )


def _run_to_end(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
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
    schema.write_bytes(LOCAL.get(base + "/openapi.json", timeout=60).content)
    return schema


def _start_schemathesis(
    base: str, schema: Path, report_dir: Path, *options: str
) -> subprocess.Popen[str]:
    report_dir.mkdir(parents=True, exist_ok=True)
    config = report_dir / "schemathesis.toml"
    config.write_text(_config(json.loads(schema.read_text())["paths"]))
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
            # No example database: with the fixed seed a run is the same on every machine,
            # not one that replays what earlier runs in this checkout saved (a tenth more
            # CPU, measured, for the same number of test cases).
            "--generation-database",
            "none",
            "--report-dir",
            str(report_dir),
            *options,
        ],
        cwd=PROJECT_ROOT,
        env=DEAD_PROXY_ENVIRONMENT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_shares(paths: dict[str, dict[str, Any]]) -> list[list[str]]:
    """The paths with a GET in READ_SHARES groups of about equal work (a GET's work grows
    with the parameters it takes, in the coverage phase, which twins skip)."""
    twins = set(_twins(paths))
    weights = {
        path: 1 + (0 if path in twins else len(item["get"].get("parameters", [])))
        for path, item in paths.items()
        if "get" in item
    }
    shares: list[list[str]] = [[] for _ in range(READ_SHARES)]
    loads = [0] * READ_SHARES
    for path in sorted(weights, key=lambda p: (-weights[p], p)):
        lightest = loads.index(min(loads))
        shares[lightest].append(path)
        loads[lightest] += weights[path]
    return shares


def _reads_of(paths: list[str]) -> str:
    """A name regex for the GETs of `paths` (an operation's name is "GET /path"; two
    include options would select the union, not the intersection)."""
    return "^GET (?:" + "|".join(re.escape(path) for path in sorted(paths)) + ")$"


def _runs(paths: dict[str, dict[str, Any]], key: str) -> list[tuple[int, list[str]]]:
    """Each schemathesis process: the number of operations it must test, its options."""
    common = [
        "--max-examples",
        str(EXAMPLES),
        # A range whose `from` is after its `to` is schema-valid (a schema cannot say one
        # parameter must not exceed another) and a documented 400 naming both.
        "--exclude-checks",
        "positive_data_acceptance",
    ]
    reads = [
        (
            len(share),
            [
                *("--include-name-regex", _reads_of(share)),
                *("--phases", "examples,coverage,fuzzing", *common),
            ],
        )
        for share in _read_shares(paths)
    ]
    writes = sum(1 for item in paths.values() for method in item if method in WRITE_METHODS)
    keyed = [
        *("--exclude-method", "GET", "--header", f"Authorization: Bearer {key}"),
        *("--phases", "examples,fuzzing", *common),
    ]
    return [*reads, (writes, keyed)]


@pytest.fixture(scope="module")
def contract_server(seeded_database: DatabaseFactory) -> Iterator[LiveServer]:
    """One server, with two workers, for both contract tests: a start-up and a build of the
    OpenAPI document spared. The linked sequences run after the writes of the first test,
    on records of their own making."""
    with (
        seeded_database() as url,
        live_server(url, workers=2, settings=UNLIMITED, seeded=True) as server,
    ):
        yield server
        engine_for(url).dispose()


@pytest.fixture(scope="module")
def contract_schema(contract_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _schema_file(contract_server.base, tmp_path_factory.mktemp("contract"))


def test_every_operation_keeps_its_contract(
    contract_server: LiveServer, contract_schema: Path, tmp_path: Path
) -> None:
    paths = json.loads(contract_schema.read_text())["paths"]
    runs = _runs(paths, contract_server.key)
    running = [
        _start_schemathesis(
            contract_server.base, contract_schema, tmp_path / f"run-{number}", *options
        )
        for number, (_, options) in enumerate(runs)
    ]
    try:
        outputs = [process.communicate(timeout=900)[0] for process in running]
    finally:
        for process in running:
            process.kill()
    operations = sum(1 for item in paths.values() for method in item if method in METHODS)
    tested = 0
    for process, output, (expected, _) in zip(running, outputs, runs, strict=True):
        summary = output[-4000:]
        assert process.returncode == 0, summary
        assert "passed" in summary
        selected = re.search(r"Selected: (\d+)/(\d+)", summary)
        assert selected is not None, summary
        assert int(selected[1]) == expected, summary
        assert int(selected[2]) == operations, summary
        assert re.search(rf"Tested: {selected[1]}\b", summary), summary
        tested += int(selected[1])
    assert tested == operations


def test_linked_write_sequences_keep_their_contract(
    contract_server: LiveServer, contract_schema: Path, tmp_path: Path
) -> None:
    result = _run_to_end(
        _start_schemathesis(
            contract_server.base,
            contract_schema,
            tmp_path,
            "--phases",
            "stateful",
            "--max-examples",
            str(STATEFUL_EXAMPLES),
            "--header",
            f"Authorization: Bearer {contract_server.key}",
            # A schema-valid body can still name an indicator, model or source that does
            # not exist: that is a documented 422, not a contract breach.
            "--exclude-checks",
            "positive_data_acceptance",
        )
    )
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    assert "Stateful" in result.stdout, summary


def test_every_csv_path_is_a_twin_whose_coverage_runs_on_its_json_operation(
    client: TestClient,
) -> None:
    """The contract test skips the coverage phase only for twins; every `.csv` path is one."""
    paths = client.get("/openapi.json").json()["paths"]
    csv_paths = sorted(path for path in paths if path.endswith(".csv"))
    assert csv_paths
    assert _twins(paths) == csv_paths
    config = _config(paths)
    assert all(re.escape(path) in config for path in csv_paths)
    assert "phases.coverage.enabled = false" in config
