"""A filtered observation list over 1,000,000 observations: aigap versus Datasette serving
the same SQLite file with the same filter and page size (wrk, 32 connections).

Two filters: one series (an indicator in China, ~130 rows, one page) and a broad one
(China, status actual, periods ending 2020 or later: ~55,000 rows, first page). Datasette
(from PyPI, installed into its own virtualenv on first use) runs as it ships, and again
with --immutable (its fastest mode). aigap runs as `aigap serve` does, one worker, with its
response cache (the default) and without it (AIGAP_RESPONSE_CACHE_BYTES=0), so the query
path itself is measured too; then with two workers.

    python -m bench.observation_list [--seconds 10] [--rows 1000000] [--data DIR]
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.services.health import expected_head
from bench.common import free_port, process_serving, server, table, wrk
from bench.observation_data import build

DATASETTE_VERSION = "0.65.5"
PAGE_SIZE = 100
CURRENT = "valid_to__isnull=1&retired=0"
DATA_FORMAT = "1"  # bump when bench/observation_data.py changes what it generates


def scenarios(indicator: str) -> dict[str, tuple[str, str]]:
    """name -> (aigap path, Datasette path) with the same filter and page size."""
    return {
        "one series": (
            f"/v1/observations?indicator={indicator}&country=CN&limit={PAGE_SIZE}",
            f"/bench/observations.json?indicator_key={indicator}&country=CN&{CURRENT}"
            f"&_sort=period_start&_size={PAGE_SIZE}",
        ),
        "broad filter": (
            f"/v1/observations?country=CN&status=actual&from=2020-01-01&limit={PAGE_SIZE}",
            f"/bench/observations.json?country=CN&status=actual&period_end__gte=2020-01-01"
            f"&{CURRENT}&_size={PAGE_SIZE}",
        ),
    }


def datasette_binary(data: Path) -> Path:
    venv = data / f"datasette-{DATASETTE_VERSION}"
    binary = venv / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"],
            check=True,
        )
    return binary


def database_file(data: Path, rows: int) -> Path:
    """The generated file, rebuilt when missing or made by an older generator or schema."""
    path = data / f"observations-{rows}-{DATA_FORMAT}-{expected_head()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        counts = build(str(partial), rows=rows)
        partial.rename(path)
        print(f"generated {counts} in {time.perf_counter() - started:.0f} s: {path}")
    return path


def datasette_args(binary: Path, path: Path, port: int, *, immutable: bool) -> list[str]:
    """The command serving `path` as Datasette's database `bench` (a hard link named so)."""
    copy = path.with_name("bench.db")  # Datasette names the database after the file
    if not copy.exists() or not copy.samefile(path):
        copy.unlink(missing_ok=True)
        os.link(path, copy)
    return [
        str(binary),
        "serve",
        *(["--immutable", str(copy)] if immutable else [str(copy)]),
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "sql_time_limit_ms",
        "5000",
    ]


@contextmanager
def datasette(binary: Path, path: Path, *, immutable: bool) -> Iterator[str]:
    port = free_port()
    args = datasette_args(binary, path, port, immutable=immutable)
    with process_serving(args, port, "/-/versions.json") as base:
        yield base


def _measure(base: str, path: str, seconds: int) -> dict[str, float]:
    httpx.get(base + path, timeout=60).raise_for_status()
    wrk(base + path, seconds=2)  # warm-up: caches, connections, lazily built routes
    return wrk(base + path, seconds=seconds)


def _check_same_answer(aigap_base: str, ours: str, datasette_base: str, theirs: str) -> int:
    mine = httpx.get(aigap_base + ours, timeout=60).json()
    other = httpx.get(datasette_base + theirs, timeout=60).json()
    assert len(mine["items"]) == len(other["rows"]) == min(PAGE_SIZE, mine["total"]), (
        "the two pages differ in size"
    )
    assert mine["total"] == other["filtered_table_rows_count"], "the two counts differ"
    return int(mine["total"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/aigap-bench"))
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    binary = datasette_binary(args.data)
    path = database_file(args.data, args.rows)
    url = f"sqlite:///{path}"
    with sqlite3.connect(path) as connection:  # the longest Chinese series
        (indicator,) = connection.execute(
            "SELECT indicator_key FROM observations WHERE country = 'CN' AND valid_to IS NULL "
            "GROUP BY indicator_key ORDER BY count(*) DESC, indicator_key LIMIT 1"
        ).fetchone()
    paths = scenarios(indicator)
    results: dict[tuple[str, str], dict[str, float]] = {}
    totals: dict[str, int] = {}
    for immutable in (False, True):
        label = "Datasette --immutable" if immutable else "Datasette"
        with datasette(binary, path, immutable=immutable) as base:
            for name, (ours, theirs) in paths.items():
                results[(name, label)] = _measure(base, theirs, args.seconds)
                if not immutable:
                    with server(url) as aigap_base:
                        totals[name] = _check_same_answer(aigap_base, ours, base, theirs)
    for label, workers, cache in (
        ("aigap, 1 worker, no response cache", 1, "0"),
        ("aigap, 1 worker", 1, None),
        ("aigap, 2 workers", 2, None),
    ):
        os.environ.pop("AIGAP_RESPONSE_CACHE_BYTES", None)
        if cache is not None:
            os.environ["AIGAP_RESPONSE_CACHE_BYTES"] = cache
        with server(url, workers=workers) as base:
            for name, (ours, _theirs) in paths.items():
                results[(name, label)] = _measure(base, ours, args.seconds)
    os.environ.pop("AIGAP_RESPONSE_CACHE_BYTES", None)
    rows = []
    for name in paths:
        baseline = results[(name, "Datasette")]["rps"]
        for (scenario, label), figures in results.items():
            if scenario != name:
                continue
            rows.append(
                [
                    name,
                    f"{totals[name]:,}",
                    label,
                    f"{figures['rps']:,.0f}",
                    f"{figures['p50']:.1f}",
                    f"{figures['p99']:.1f}",
                    f"{figures['rps'] / baseline:.2f}",
                    int(figures["errors"]),
                    int(figures["timeouts"]),
                ]
            )
    print(
        f"{args.rows:,} observations, page size {PAGE_SIZE}; wrk -t2 -c32 -d{args.seconds}s "
        f"after a 2 s warm-up; Datasette {DATASETTE_VERSION}; {os.cpu_count()} CPUs"
    )
    print(
        table(
            [
                "filter",
                "matching rows",
                "server",
                "rps",
                "p50 ms",
                "p99 ms",
                "vs Datasette",
                "non-2xx",
                "timeouts",
            ],
            rows,
        )
    )
    for name, (ours, theirs) in paths.items():
        print(f"{name}: aigap {ours}\n{' ' * len(name)}  Datasette {theirs}")


if __name__ == "__main__":
    main()
