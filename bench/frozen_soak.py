"""The soak of bench/soak.py on a private PostgreSQL cluster that is frozen (SIGSTOP of every
server process: connections are accepted, nothing ever answers) for a while mid-run.

Passes when no request outlives its deadline (AIGAP_REQUEST_TIMEOUT) by more than a
second, nothing is a 5xx other than a 503 (with Retry-After, while the database is
frozen), no transport error happens, and nothing is lost or made up: the change feed
holds exactly the writes that were answered 2xx, and each is in its record's history.

    python -m bench.frozen_soak [--seconds 75] [--freeze-at 25] [--freeze-for 20]
                                [--readers 24] [--workers 2] [--request-timeout 5]
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import aigap, table
from bench.soak import WRITERS, Load, Memory, check, discover, endpoint_table, serve, worker_pids
from tests.pg_cluster import PrivateCluster, private_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=75)
    parser.add_argument("--freeze-at", type=float, default=25)
    parser.add_argument("--freeze-for", type=float, default=20)
    parser.add_argument("--readers", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--request-timeout", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    sys.exit(run(args))


async def freeze_midway(cluster: PrivateCluster, at: float, seconds: float) -> list[float]:
    """Freeze the cluster `at` s into the load for `seconds`; (frozen, thawed) offsets."""
    started = time.monotonic()
    await asyncio.sleep(at)
    cluster.freeze()
    frozen = time.monotonic() - started
    try:
        await asyncio.sleep(seconds)
    finally:
        cluster.thaw()
    return [frozen, time.monotonic() - started]


def run(args: argparse.Namespace) -> int:
    names = [f"soak-writer-{i}" for i in range(1, WRITERS + 1)]
    deadline = args.request_timeout
    os.environ.update(
        {
            "AIGAP_REQUEST_TIMEOUT": str(deadline),
            "AIGAP_DB_STATEMENT_TIMEOUT": str(deadline / 2),
            "AIGAP_DB_READ_TIMEOUT": str(deadline / 2),
            "AIGAP_DB_CONNECT_TIMEOUT": str(deadline / 2),
        }
    )
    with tempfile.TemporaryDirectory(prefix="aigap-frozen-") as tmp, private_cluster() as cluster:
        url = cluster.create_database("aigap")
        print(f"private cluster on port {cluster.port}: migrate, seed, keys", file=sys.stderr)
        aigap(url, "migrate")
        aigap(url, "seed")
        keys = [aigap(url, "keys", "create", "--name", name, "--scope", "write") for name in names]
        with serve(url, args.workers, Path(tmp), "warning") as server:
            fixture = discover(server.base)
            load = Load(server.base, fixture, keys, args.seed)
            memory = Memory(server.process.pid, workers=set(worker_pids(server.process.pid)))
            print(
                f"soaking {args.seconds:.0f} s, frozen from {args.freeze_at:.0f} s for "
                f"{args.freeze_for:.0f} s: {args.readers} readers, {WRITERS} writers, "
                f"{args.workers} workers, deadline {deadline:g} s",
                file=sys.stderr,
            )

            async def both() -> tuple[float, list[float]]:
                freezing = asyncio.create_task(
                    freeze_midway(cluster, args.freeze_at, args.freeze_for)
                )
                duration = await load.run(args.seconds, args.readers, memory, 10.0)
                return duration, await freezing

            duration, (frozen, thawed) = asyncio.run(both())
            recovered = _recovery(server.base)
            written, failures = check(server.base, fixture, load.writes, set(names))
    return report(args, load, duration, frozen, thawed, recovered, written, failures)


def _recovery(base: str) -> float:
    """Seconds from now until /readyz answers 200 (0 if it already does)."""
    started = time.monotonic()
    while httpx.get(base + "/readyz", timeout=10).status_code != 200:
        time.sleep(0.1)
    return time.monotonic() - started


def report(
    args: argparse.Namespace,
    load: Load,
    duration: float,
    frozen: float,
    thawed: float,
    recovered: float,
    written: int,
    failures: list[str],
) -> int:
    stats, writes = load.stats, load.writes
    groups = stats.groups.values()
    statuses = [(code, n) for g in groups for code, n in g.statuses.items()]
    unavailable = sum(n for code, n in statuses if code == 503)
    errors = sum(n for code, n in statuses if code >= 500 and code != 503)
    transport = sum(g.transport for g in groups)
    unexpected = sum(g.unexpected_4xx for g in groups)
    slowest_ms = max((ms for g in groups for ms in g.latencies), default=0.0)
    allowed_ms = (args.request_timeout + 1.0) * 1000
    late = sum(1 for g in groups for ms in g.latencies if ms > allowed_ms)
    print(
        f"database: private PostgreSQL, frozen {frozen:.1f}-{thawed:.1f} s; {args.workers} "
        f"workers; {args.readers} readers, {WRITERS} writers; {duration:.0f} s; "
        f"deadline {args.request_timeout:g} s; seed {args.seed}\n"
    )
    print(endpoint_table(stats, duration))
    print()
    print(
        table(
            [
                "requests",
                "503 (frozen)",
                "other 5xx",
                "transport",
                "unexpected 4xx",
                "slowest ms",
                f"over {allowed_ms:.0f} ms",
                "writes ok",
                "writes 503",
                "change-feed rows",
                "expected rows",
                "ready again after thaw",
            ],
            [
                [
                    sum(g.requests for g in groups),
                    unavailable,
                    errors,
                    transport,
                    unexpected,
                    f"{slowest_ms:,.0f}",
                    late,
                    len(writes.records) + writes.imports,
                    writes.unknown,
                    written,
                    writes.changes,
                    f"{recovered:.1f} s after the load",
                ]
            ],
        )
    )
    for title, lines in (
        ("slowest requests", [f"{ms:,.0f} ms: {w}" for ms, w in sorted(stats.slowest)[::-1]]),
        ("5xx examples", stats.server_errors),
        ("transport error examples", stats.transport_errors),
        ("unexpected 4xx examples", stats.unexpected),
        ("consistency failures", failures[:20]),
    ):
        if lines:
            print(f"\n{title}:")
            for line in lines:
                print(f"- {line}")
    failed = bool(errors or transport or late or failures)
    print("\nresult: " + ("FAIL" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    main()
