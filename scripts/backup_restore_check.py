"""Back up a PostgreSQL aigap database with pg_dump and restore it with pg_restore, as the
README's operations section says, then check the copy holds exactly the same data.

    python scripts/backup_restore_check.py

Uses throwaway databases on AIGAP_TEST_POSTGRES_URL's server and drops them afterwards.
"""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "AIGAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
).replace("postgresql://", "postgresql+psycopg://", 1)


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every table's rows, ordered by primary key."""
    engine = create_engine(url)
    result: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            rows = "string_agg(t::text, '|' ORDER BY t::text)"
            digest = connection.execute(
                text(f"SELECT count(*), md5(coalesce({rows}, '')) FROM \"{table}\" t")
            ).one()
            result[table] = (int(digest[0]), str(digest[1]))
    engine.dispose()
    return result


def main() -> int:
    suffix = uuid.uuid4().hex[:8]
    source, copy = f"aigap_backup_{suffix}", f"aigap_restore_{suffix}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    base = ADMIN_URL.rsplit("/", 1)[0]
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{source}"'))
        connection.execute(text(f'CREATE DATABASE "{copy}"'))
    try:
        env = {**os.environ, "AIGAP_DATABASE_URL": f"{base}/{source}"}
        aigap = [sys.executable, "-m", "api.cli"]
        subprocess.run([*aigap, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*aigap, "seed"], env=env, cwd=ROOT, check=True, capture_output=True)
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "aigap.dump"
            subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--file={dump}",
                    libpq_url(f"{base}/{source}"),
                ],
                check=True,
            )
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    f"--dbname={libpq_url(f'{base}/{copy}')}",
                    str(dump),
                ],
                check=True,
            )
            size = dump.stat().st_size
        before, after = snapshot(f"{base}/{source}"), snapshot(f"{base}/{copy}")
        if before != after:
            print("FAIL: the restored database differs", before, after)
            return 1
        rows = sum(count for count, _digest in before.values())
        print(f"ok: {len(before)} tables, {rows} rows restored identically ({size} byte dump)")
        return 0
    finally:
        with admin.connect() as connection:
            for name in (source, copy):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
