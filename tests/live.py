"""Throwaway databases and real server processes: one helper for tests, bench and scripts.

`throwaway_database` makes an empty SQLite file or PostgreSQL database for the duration of a
block, or a copy of a template database (a file copy, or PostgreSQL's `CREATE DATABASE ...
TEMPLATE`); `serving` runs a server command until a probe answers; `live_server` is `aigap
serve` on a migrated, seeded database with a write key, for concurrency and fault tests.
"""

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlmodel import Session

from alembic import command
from api import PROJECT_ROOT, SEEDS_DIR
from api.cli import alembic_config
from api.commit_counter import discard_counter
from api.db import engine_for
from api.models.auth import Scope
from api.services.auth import create_key
from api.services.seed import load
from api.settings import normalize_database_url

POSTGRES_ADMIN_URL = normalize_database_url(
    os.environ.get("AIGAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)

# Every new httpx client (httpx.get() makes one per call) builds a TLS context and loads the
# CA bundle into it: ~20 ms of CPU, even for the http:// URLs of the servers tests start,
# and the suite made about 400 of them. Clients made here share one context.
_TLS = ssl.create_default_context()


def local_client(**options: Any) -> httpx.Client:
    """An httpx client for the servers tests start."""
    return httpx.Client(verify=_TLS, **options)


# For one-off requests. No kept-alive connections: a server stopped between two requests
# is never asked again on a connection it closed.
LOCAL = local_client(limits=httpx.Limits(max_keepalive_connections=0))


@dataclass
class LiveServer:
    base: str
    key: str
    database_url: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite:///path` URL."""
    return Path(url.removeprefix("sqlite:///"))


def postgres_name(url: str) -> str:
    """The database name of a PostgreSQL URL."""
    return url.rsplit("/", 1)[1]


@contextmanager
def throwaway_database(
    backend: str, directory: Path | None = None, template: str | None = None
) -> Iterator[str]:
    """The URL of an empty database (`sqlite` or `postgresql`) that lives as long as the block;
    a SQLite file goes in `directory`, or in a temporary one. With `template` (the URL of a
    database of the same backend that nobody is connected to), a copy of that one instead."""
    name = f"aigap_test_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        with nullcontext(directory) if directory else tempfile.TemporaryDirectory() as where:
            path = Path(where) / f"{name}.db"
            if template is not None:
                shutil.copyfile(sqlite_path(template), path)
            yield f"sqlite:///{path}"
        return
    if backend != "postgresql":
        raise ValueError(f"the test database must be sqlite or postgresql: {backend}")
    copy = f' TEMPLATE "{postgres_name(template)}"' if template is not None else ""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        discard_counter(url)


@contextmanager
def serving(
    args: list[str],
    port: int,
    probe: str,
    env: dict[str, str] | None = None,
    wait: float = 60,
    poll: float = 0.1,
    cwd: Path = PROJECT_ROOT,
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process in its own group, once `probe` answers 2xx; SIGTERM (then SIGKILL)
    to the group at the end. `cwd` is where `python -m` finds the `api` it serves."""
    process = subprocess.Popen(
        args,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                LOCAL.get(base + probe, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited ({process.returncode})") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer {probe} in {wait} s") from None
                time.sleep(poll)
        yield process
    finally:
        stop(process, 20)


def stop(process: subprocess.Popen[Any], grace: float) -> None:
    """SIGTERM to the process group a server started, SIGKILL after `grace` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cli(
    env: dict[str, str], *args: str, timeout: float | None = 120, cwd: Path = PROJECT_ROOT
) -> str:
    """What `aigap <args>` prints, run with `env` (from `cwd`, where `python -m` finds the
    `api` it runs); CalledProcessError when it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    return result.stdout.strip()


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def migrate_and_seed(url: str) -> None:
    """What `aigap migrate` and `aigap seed` do, in this process (no CLI start-ups)."""
    migrate(url)
    engine = engine_for(url)
    with Session(engine) as session:
        load(session, SEEDS_DIR)
        session.commit()
    engine.dispose()  # a template is copied only while nobody is connected to it


def write_key(database_url: str) -> str:
    """A new write key, made as `aigap keys create` makes it, without starting the CLI."""
    engine = engine_for(database_url)
    with Session(engine) as session:
        _record, key = create_key(session, name="live-writer", scope=Scope.write)
        session.commit()
    engine.dispose()
    return key


@contextmanager
def live_server(
    database_url: str,
    workers: int = 2,
    settings: dict[str, str] | None = None,
    seeded: bool = False,
) -> Iterator[LiveServer]:
    """`aigap serve` with `workers` on `database_url`, with a write key. The database is
    migrated and seeded first, unless it is `seeded` already (a copy of the test template).
    Both, and the key, are made in this process as the CLI makes them (scripts/ and
    tests/ops run the CLI itself), sparing three CLI start-ups."""
    env = {
        **os.environ,
        "AIGAP_DATABASE_URL": database_url,
        "AIGAP_LOG_LEVEL": "warning",
        **(settings or {}),
    }
    if not seeded:
        migrate_and_seed(database_url)
    key = write_key(database_url)
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    with serving([*command, "--workers", str(workers)], port, "/readyz", env) as process:
        yield LiveServer(f"http://127.0.0.1:{port}", key, database_url, process)
