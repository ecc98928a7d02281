"""The server's CPU under the contract test's traffic: this tree beside a baseline revision.

The suite's longest test (tests/api/test_schemathesis.py) sends about 6,300 requests of
every kind: every GET with positive and negative data, every write with a key, the charts
and the CSV twins. This runs the same schemathesis processes, with the same options,
against `aigap serve` on a migrated, seeded database, once for this tree and once for
`--baseline` (a git revision, checked out to a temporary directory and served from there),
interleaved, and prints each server's CPU time per request (user + system of its worker
processes, read from /proc before it stops).

    .venv/bin/python -m bench.contract_traffic --baseline 438db7a [--backend sqlite]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import free_port, throwaway_database, tree_at
from tests.api.test_schemathesis import UNLIMITED, _runs, _start_schemathesis
from tests.live import cli, serving

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(group: int) -> float:
    """User + system time of every live process in the process group `group`."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def _requests(base: str) -> float:
    metrics = httpx.get(base + "/metrics", timeout=30).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("aigap_http_requests_total{")
    )


def measure(tree: Path, backend: str, workers: int, scratch: Path) -> dict[str, float]:
    with throwaway_database(backend, scratch) as url:
        env = {
            **os.environ,
            "PYTHONPATH": str(tree),
            "AIGAP_DATABASE_URL": url,
            "AIGAP_LOG_LEVEL": "warning",
            **UNLIMITED,
        }
        cli(env, "migrate", cwd=tree, timeout=None)
        cli(env, "seed", cwd=tree, timeout=None)
        key = cli(env, "keys", "create", "--name", "bench", "--scope", "write", cwd=tree)
        key = key.splitlines()[-1].strip()
        port = free_port()
        command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
        with serving(
            [*command, "--workers", str(workers)], port, "/readyz", env, cwd=tree
        ) as process:
            base = f"http://127.0.0.1:{port}"
            schema = scratch / "openapi.json"
            schema.write_bytes(httpx.get(base + "/openapi.json", timeout=60).content)
            runs = _runs(json.loads(schema.read_text())["paths"], key)
            before = _cpu_seconds(process.pid)
            started = time.monotonic()
            running = [
                _start_schemathesis(base, schema, scratch / f"run-{n}", *options)
                for n, (_, options) in enumerate(runs)
            ]
            for each in running:
                each.communicate(timeout=900)
            wall = time.monotonic() - started
            cpu = _cpu_seconds(process.pid) - before
            requests = _requests(base)
    return {"requests": requests, "wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="a git revision to serve beside this tree")
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    labels = ["this tree"] + ([f"baseline {args.baseline}"] if args.baseline else [])
    results: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    with tree_at(None) as here, tree_at(args.baseline) as there:
        trees = {"this tree": here, f"baseline {args.baseline}": there}
        for _ in range(args.rounds):
            for label in labels:
                with tempfile.TemporaryDirectory() as scratch:
                    results[label].append(
                        measure(trees[label], args.backend, args.workers, Path(scratch))
                    )
    print(f"{args.backend}, server with {args.workers} workers, {args.rounds} rounds interleaved")
    print("| tree | requests | wall s | server CPU s | server CPU ms per request |")
    print("| --- | --- | --- | --- | --- |")
    for label in labels:
        for run in results[label]:
            per_request = 1000 * run["cpu"] / max(run["requests"], 1)
            print(
                f"| {label} | {run['requests']:.0f} | {run['wall']:.1f} | {run['cpu']:.1f} "
                f"| {per_request:.2f} |"
            )


if __name__ == "__main__":
    main()
