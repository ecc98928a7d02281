"""Shared bench plumbing: throwaway databases and server processes (the same helpers as the
tests', from tests/live.py), the CLI, a load tool."""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from tests.live import POSTGRES_ADMIN_URL, cli, serving
from tests.live import free_port as free_port
from tests.live import throwaway_database as throwaway_database

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = POSTGRES_ADMIN_URL


def aigap(database_url: str, *args: str) -> str:
    return cli({**os.environ, "AIGAP_DATABASE_URL": database_url}, *args, timeout=None)


@contextmanager
def server(database_url: str, app: str = "api.main:app", workers: int = 1) -> Iterator[str]:
    """uvicorn serving `app`, with the same settings `aigap serve` uses."""
    port = free_port()
    env = {**os.environ, "AIGAP_DATABASE_URL": database_url, "AIGAP_LOG_LEVEL": "warning"}
    args = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--workers", str(workers)]
    args += ["--log-level", "warning", "--no-access-log"]
    with process_serving(args, port, "/healthz", env=env) as base:
        yield base


@contextmanager
def process_serving(
    args: list[str], port: int, probe: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """A server process, once `probe` answers 2xx; SIGTERM to its group at the end."""
    with serving(args, port, probe, env):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def spawned(
    args: list[str], port: int, probe: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like `process_serving`, also handing over the process (to read its memory)."""
    with serving(args, port, probe, env) as process:
        yield f"http://127.0.0.1:{port}", process


def rss_mib(pid: int, *, children: bool = False) -> float:
    """Resident memory (VmRSS) of a process, or the sum over its child processes (a
    multi-worker uvicorn's supervisor: its workers), in MiB."""
    return sum(worker_sizes(pid)) if children else _vm_rss_mib(pid)


def worker_sizes(pid: int) -> list[float]:
    """The RSS (MiB) of each child process of `pid` but multiprocessing's helpers."""
    listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [_vm_rss_mib(int(child)) for child in listed if not _is_helper(int(child))]


def _vm_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def _is_helper(pid: int) -> bool:
    """multiprocessing's resource tracker is a child too, but not a worker."""
    return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()


def wrk(
    url: str,
    *,
    connections: int = 32,
    seconds: int = 10,
    headers: dict[str, str] | None = None,
    threads: int = 2,
    script: Path | None = None,
    script_args: Sequence[str] = (),
) -> dict[str, float]:
    """Requests per second and latency percentiles (ms) from wrk; with `script`, wrk runs
    that Lua script and passes it `script_args` (after `--`)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    # A 10 s timeout: wrk's default (2 s) drops slow answers from the latency figures.
    threads = min(threads, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "10s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    if script is not None:
        args += ["-s", str(script)]
    args.append(url)
    if script_args:
        args += ["--", *script_args]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = {
        p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1))  # type: ignore[union-attr]
        for p in ("50", "99")
    }
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return {
        "rps": rps,
        "p50": percentiles["50"],
        "p99": percentiles["99"],
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
    }


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group(0))  # type: ignore[union-attr]
    unit = value[len(re.match(r"[\d.]+", value).group(0)) :]  # type: ignore[union-attr]
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    rule = "-|-".join("-" * w for w in widths)
    body = [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, rule, *body])


@contextmanager
def tree_at(revision: str | None) -> Iterator[Path]:
    """This working tree, or `revision` of it extracted to a temporary directory."""
    if revision is None:
        yield ROOT
        return
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as where:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(where, filter="data")
        yield Path(where)
