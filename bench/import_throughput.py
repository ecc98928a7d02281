"""Arena import throughput (rows per second), SQLite and PostgreSQL, 100,000 rows.

Baselines, measured in the same run on the same database:
- bare INSERT: a plain `executemany` INSERT of as many rows into a bare three-column table
  (no validation, no revisions, no indexes);
- bare COPY (PostgreSQL, where aigap's import writes with COPY): the same rows by
  `COPY ... FROM STDIN`, so the comparison is also made against the fastest way in;
- own tables: the rows the import wrote, written again the way the import writes them
  (executemany / COPY) into aigap's own tables, with their indexes and change-feed rows, and
  no parsing or checks: what the tables alone cost (rolled back).

"import CPU s" is this process's CPU time for the import (on SQLite the database's work
too; on PostgreSQL the server's is not in it): wall time well above it means the machine
was busy with something else.

Each round measures all of them again on a new database, the databases taking turns; a
cell is the median of the rounds, and the ratio's column also gives its range (on a noisy
machine one round's bare INSERT has been 1.4x another's).

    python -m bench.import_throughput [--rows 100000] [--rounds 3]
"""

import argparse
import statistics
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, text
from sqlmodel import Session

from api.db import engine_for
from api.models.changes import Change
from api.models.models import ArenaScore
from api.services.bulk import insert_rows
from api.services.imports import import_arena
from api.services.writes import lock_writes
from bench.common import aigap, table, throwaway_database


def arena_csv(rows: int) -> bytes:
    lines = ["month,model,organization,country,score,votes"]
    for i in range(rows):
        month = f"{1900 + i // 12 // 200:04d}-{i % 12 + 1:02d}"  # before any seeded month
        country = ("US", "CN", "FR")[i % 3]
        lines.append(
            f"{month},model-{i // 12 % 200}-{country.lower()},Lab {country},{country},"
            f"{1000 + i % 400},{i % 5000}"
        )
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Round:
    seconds: float  # the import's wall time
    cpu: float  # this process's CPU time during the import
    own: float  # the own tables written again
    bare: float  # a bare INSERT
    copy: float | None  # a bare COPY (PostgreSQL)


def measure(backend: str, body: bytes, rows: int) -> Round:
    with throwaway_database(backend) as url:
        aigap(url, "migrate")
        aigap(url, "seed")
        engine = engine_for(url)
        with Session(engine) as session:
            started, cpu = time.perf_counter(), time.process_time()
            lock_writes(session)
            report = import_arena(
                session, body, actor="bench", default_source="lmsys-chatbot-arena"
            )
            session.commit()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert report.created == rows, report
        own = own_tables(engine)
        bare, copy = bare_insert(engine, rows)
        engine.dispose()
    return Round(seconds, cpu, own, bare, copy)


def summary(backend: str, rows: int, rounds: list[Round]) -> list[object]:
    def mid(values: list[float]) -> float:
        return statistics.median(values)

    seconds = mid([r.seconds for r in rounds])
    ratios = [r.bare / r.seconds for r in rounds]
    spread = f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(rounds) > 1 else ""
    copies = [r.copy for r in rounds if r.copy is not None]
    copy = mid(copies) if copies else None
    return [
        backend,
        rows,
        len(rounds),
        f"{rows / seconds:,.0f}",
        f"{seconds:.2f}",
        f"{mid([r.cpu for r in rounds]):.2f}",
        f"{rows / mid([r.own for r in rounds]):,.0f}",
        f"{rows / mid([r.bare for r in rounds]):,.0f}",
        f"{mid(ratios):.2f}{spread}",
        "" if copy is None else f"{rows / copy:,.0f}",
        "" if copy is None else f"{mid([c / r.seconds for r in rounds if (c := r.copy)]):.2f}",
    ]


def own_tables(engine: Engine) -> float:
    """Seconds to write the imported scores again, with their change rows, through the bulk
    writer (no parsing, no checks); rolled back."""
    table = ArenaScore.__table__  # type: ignore[attr-defined]
    names = [c.name for c in table.c if c.name != "id"]
    with Session(engine) as session:
        scores = [
            {**row, "revision": 2, "valid_to": None}
            for row in session.execute(select(table)).mappings()
        ]
        again = [tuple(score[name] for name in names) for score in scores]
        changes = [
            ("arena_scores", s["key"], 2, "revise", s["valid_from"], s["changed_by"])
            for s in scores
        ]
        change_columns = ("kind", "key", "revision", "operation", "changed_at", "changed_by")
        started = time.perf_counter()
        insert_rows(session, table, names, again)
        insert_rows(session, Change.__table__, change_columns, changes)  # type: ignore[attr-defined]
        session.flush()
        seconds = time.perf_counter() - started
        session.rollback()
    return seconds


def bare_insert(engine: Engine, rows: int) -> tuple[float, float | None]:
    """Seconds for a plain executemany INSERT into a bare table, and on PostgreSQL for a
    plain COPY of the same rows."""
    values: list[dict[str, Any]] = [
        {"m": f"m{i}", "k": f"k{i}", "s": float(i)} for i in range(rows)
    ]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bare (month text, model text, score float)"))
        started = time.perf_counter()
        connection.execute(text("INSERT INTO bare VALUES (:m, :k, :s)"), values)
        bare = time.perf_counter() - started
    if engine.dialect.name != "postgresql":
        return bare, None
    tuples = [(v["m"], v["k"], v["s"]) for v in values]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bare_copy (month text, model text, score float)"))
        raw: Any = connection.connection.dbapi_connection
        started = time.perf_counter()
        with raw.cursor() as cursor, cursor.copy("COPY bare_copy FROM STDIN") as copy:
            for row in tuples:
                copy.write_row(row)
        copied = time.perf_counter() - started
    return bare, copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    body = arena_csv(args.rows)
    backends = ("sqlite", "postgresql")
    rounds: dict[str, list[Round]] = {backend: [] for backend in backends}
    for _ in range(args.rounds):
        for backend in backends:
            rounds[backend].append(measure(backend, body, args.rows))
    print(
        table(
            [
                "database",
                "rows",
                "rounds",
                "import rows/s",
                "import s",
                "import CPU s",
                "own tables rows/s",
                "bare INSERT rows/s",
                "import / bare INSERT",
                "bare COPY rows/s",
                "import / bare COPY",
            ],
            [summary(backend, args.rows, rounds[backend]) for backend in backends],
        )
    )


if __name__ == "__main__":
    main()
