"""What the statement deadlines cost the database work itself, beside a baseline in the
same run: SQLite with and without the progress handler (called every PROGRESS_STEPS
virtual-machine instructions), PostgreSQL with and without the deadline-aware connection
(psycopg's wait given a timeout). The queries scan 1,000,000 rows, or answer one row.

    python -m bench.statement_deadlines [--rounds 5]
"""

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable

import psycopg

from api.deadlines import PROGRESS_STEPS, SqliteDeadline, request_deadline
from api.postgres_deadlines import DeadlineConnection
from bench.common import POSTGRES_ADMIN, table

ROWS = 1_000_000
SCAN = "SELECT count(*), sum(x) FROM t WHERE x % 7 = 3"
ONE = "SELECT x FROM t WHERE x = 4242"


def _best_of(rounds: int, run: Callable[[], object]) -> float:
    """Median seconds of `rounds` runs."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sqlite_rows(rounds: int) -> list[list[object]]:
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        setup = sqlite3.connect(f"{tmp}/bench.db")
        setup.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        setup.executemany("INSERT INTO t VALUES (?)", ((i,) for i in range(ROWS)))
        setup.commit()
        setup.close()
        plain = sqlite3.connect(f"{tmp}/bench.db")
        guarded = sqlite3.connect(f"{tmp}/bench.db")
        deadline = SqliteDeadline(60.0, busy_timeout_ms=5000)
        guarded.set_progress_handler(deadline, PROGRESS_STEPS)
        for label, sql, repeat in (("scan 1M rows", SCAN, 1), ("one row x1000", ONE, 1000)):

            def run(connection: sqlite3.Connection, sql: str = sql, repeat: int = repeat) -> None:
                for _ in range(repeat):
                    deadline.start_statement(connection)
                    connection.execute(sql).fetchall()

            base = _best_of(rounds, lambda: run(plain))
            now = _best_of(rounds, lambda: run(guarded))
            rows.append(
                ["SQLite", label, f"{base * 1000:.1f}", f"{now * 1000:.1f}", _ratio(base, now)]
            )
    return rows


def postgresql_rows(rounds: int) -> list[list[object]]:
    url = POSTGRES_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    rows: list[list[object]] = []
    with psycopg.connect(url) as plain, DeadlineConnection.connect(url) as guarded:
        guarded.statement_timeout = 60.0
        for connection in (plain, guarded):
            connection.execute(f"CREATE TEMP TABLE t AS SELECT generate_series(0, {ROWS - 1}) x")
            connection.execute("CREATE INDEX ON t (x)")
            connection.execute("ANALYZE t")
        for label, sql, repeat in (("scan 1M rows", SCAN, 1), ("one row x1000", ONE, 1000)):

            def run(connection: psycopg.Connection, sql: str = sql, repeat: int = repeat) -> None:
                with request_deadline(60.0):
                    for _ in range(repeat):
                        connection.execute(sql).fetchall()

            base = _best_of(rounds, lambda: run(plain))
            now = _best_of(rounds, lambda: run(guarded))
            rows.append(
                ["PostgreSQL", label, f"{base * 1000:.1f}", f"{now * 1000:.1f}", _ratio(base, now)]
            )
    return rows


def _ratio(base: float, now: float) -> str:
    return f"{now / base:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = sqlite_rows(args.rounds) + postgresql_rows(args.rounds)
    print(f"median of {args.rounds} runs each, without then with, in the same run")
    print(table(["database", "query", "without ms", "with deadlines ms", "ratio"], rows))


if __name__ == "__main__":
    main()
