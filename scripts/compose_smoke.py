"""Run what docker-compose.yml runs (migrate + seed, then serve with workers) on a local
PostgreSQL, since no Docker engine runs here, and check the result like a healthcheck would.

The commands are read from docker-compose.yml itself, so they cannot drift from it. Only
the database URL (a throwaway database on AIGAP_TEST_POSTGRES_URL's server) and the port
(a free one) are substituted.

    python scripts/compose_smoke.py
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "AIGAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
).replace("postgresql://", "postgresql+psycopg://", 1)


def _command(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return command if isinstance(command, list) else shlex.split(command)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    """A smoke test checks answers, not their speed: a worker's first lag (numpy loaded on
    first use, its routes built) once took over 5 s on a loaded CI machine."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def _with_port(command: list[str], port: int) -> list[str]:
    replaced = list(command)
    replaced[replaced.index("--port") + 1] = str(port)
    return replaced


def main() -> int:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    name = f"aigap_smoke_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    try:
        migrate_env = {**env, **services["migrate"]["environment"], "AIGAP_DATABASE_URL": url}
        subprocess.run(_command(services["migrate"]), env=migrate_env, check=True, cwd=ROOT)
        print("migrate + seed: ok")

        port = _free_port()
        app_env = {**env, **services["app"]["environment"], "AIGAP_DATABASE_URL": url}
        command = _with_port(_command(services["app"]), port)
        server = subprocess.Popen(command, env=app_env, cwd=ROOT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    status, body = _get(base + "/readyz", timeout=5)
                    if status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("/readyz never answered 200")
            print("readyz:", json.loads(body))
            for _ in range(20):  # several requests: they spread over the workers
                status, body = _get(base + "/v1/models/lag/current")
                assert status == 200
            print("lag/current:", json.loads(body)["lag_months"], "months")
            _status, metrics = _get(base + "/metrics")
            assert b"aigap_http_requests_total" in metrics
            print("metrics: ok")
        finally:
            server.send_signal(signal.SIGTERM)  # as `docker stop` does: to PID 1 only
            try:
                code = server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                raise
        print("graceful stop: exit", code)
        return 0 if code == 0 else 1
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
