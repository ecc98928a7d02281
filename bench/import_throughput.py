"""Arena import throughput (rows per second), SQLite and PostgreSQL, 100,000 rows.

Baseline, measured in the same run on the same database: the floor of any import, a plain
`executemany` INSERT of the same rows into a bare table (no validation, no revisions).

    python -m bench.import_throughput [--rows 100000]
"""

import argparse
import time

from sqlalchemy import text
from sqlmodel import Session

from api.db import engine_for
from api.services.imports import import_arena
from api.services.writes import lock_writes
from bench.common import aigap, table, throwaway_database


def arena_csv(rows: int) -> bytes:
    lines = ["month,model,organization,country,score,votes"]
    for i in range(rows):
        month = f"{3000 + i // 12 // 200:04d}-{i % 12 + 1:02d}"
        country = ("US", "CN", "FR")[i % 3]
        lines.append(
            f"{month},model-{i // 12 % 200}-{country.lower()},Lab {country},{country},"
            f"{1000 + i % 400},{i % 5000}"
        )
    return ("\n".join(lines) + "\n").encode()


def measure(backend: str, body: bytes, rows: int) -> list[object]:
    with throwaway_database(backend) as url:
        aigap(url, "migrate")
        aigap(url, "seed")
        engine = engine_for(url)
        with Session(engine) as session:
            started = time.perf_counter()
            lock_writes(session)
            report = import_arena(
                session, body, actor="bench", default_source="lmsys-chatbot-arena"
            )
            session.commit()
            seconds = time.perf_counter() - started
        assert report.created == rows, report
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE bare (month text, model text, score float)"))
            values = [{"m": f"m{i}", "k": f"k{i}", "s": float(i)} for i in range(rows)]
            started = time.perf_counter()
            connection.execute(text("INSERT INTO bare VALUES (:m, :k, :s)"), values)
            bare = time.perf_counter() - started
        engine.dispose()
    return [
        backend,
        rows,
        f"{rows / seconds:,.0f}",
        f"{seconds:.1f}",
        f"{rows / bare:,.0f}",
        f"{bare / seconds:.2f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    body = arena_csv(args.rows)
    results = [measure(backend, body, args.rows) for backend in ("sqlite", "postgresql")]
    print(
        table(
            [
                "database",
                "rows",
                "import rows/s",
                "import s",
                "bare INSERT rows/s",
                "import / bare",
            ],
            results,
        )
    )


if __name__ == "__main__":
    main()
