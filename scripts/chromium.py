"""Headless Chromium against a real server with the network cut: the one harness the offline
checks share (scripts/check_docs_offline.py, scripts/check_dashboard_offline.py).

`running_server` starts `aigap serve` on a throwaway, migrated and seeded SQLite database;
`render` loads a page through a dead proxy (only loopback is reachable) and returns the DOM
the page rendered and every URL the page asked for, and saves a screenshot.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_SCREENSHOT_BYTES = 10_000


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(workdir: Path) -> Iterator[str]:
    """The base URL of a server on a seeded database in `workdir`, until the block ends."""
    env = {**os.environ, "AIGAP_DATABASE_URL": f"sqlite:///{workdir / 'offline.db'}"}
    aigap = [sys.executable, "-m", "api.cli"]
    subprocess.run([*aigap, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*aigap, "seed"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*aigap, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def render(
    browser: str,
    url: str,
    workdir: Path,
    screenshot: Path,
    size: tuple[int, int] = (1280, 1600),
    budget_ms: int = 20_000,
) -> tuple[str, list[str]]:
    """The rendered DOM, and every URL the page asked the browser to fetch."""
    netlog = workdir / f"net-{screenshot.stem}.json"
    common = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--proxy-server=http://127.0.0.1:9",  # a dead proxy: only loopback bypasses it
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={workdir / ('profile-' + screenshot.stem)}",
        f"--virtual-time-budget={budget_ms}",
        f"--window-size={size[0]},{size[1]}",
    ]
    dom = subprocess.run(
        [*common, f"--log-net-log={netlog}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    subprocess.run(
        [*common, f"--screenshot={screenshot}", url], capture_output=True, timeout=120, check=True
    )
    return dom, page_requests(netlog, url.split("/", 3)[:3])


def page_requests(netlog: Path, origin_parts: list[str]) -> list[str]:
    """URLs the page asked for (initiated by its origin), not the browser's own traffic."""
    origin = "/".join(origin_parts)
    events = json.loads(netlog.read_text(errors="replace")).get("events", [])
    return sorted(
        {
            event["params"]["url"]
            for event in events
            if event.get("params", {}).get("initiator") == origin and "url" in event["params"]
        }
    )


def screenshot_problem(shot: Path) -> str | None:
    if not shot.exists() or shot.stat().st_size < MIN_SCREENSHOT_BYTES:
        return "screenshot missing or blank"
    return None
