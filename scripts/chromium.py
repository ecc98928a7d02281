"""Headless Chromium against a real server with the network cut: the one harness the offline
checks share (scripts/check_docs_offline.py, scripts/check_dashboard_offline.py).

`running_server` starts `aigap serve` on a given seeded database (the tests pass a copy of
their template) or on a throwaway SQLite one it migrates and seeds (with tests/live.py);
`render` loads a page through a dead proxy (only loopback is reachable) and returns the DOM
the page rendered and every URL the page asked for, and saves a screenshot.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

from tests.live import free_port, serving, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
MIN_SCREENSHOT_BYTES = 10_000
DOM_END = b"</html>"
AIGAP = [sys.executable, "-m", "api.cli"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def running_server(workdir: Path, database_url: str | None = None) -> Iterator[str]:
    """The base URL of a server on `database_url` (migrated and seeded), or else on a
    throwaway SQLite database in `workdir` migrated and seeded here, until the block ends."""
    with nullcontext(database_url) if database_url else _seeded_sqlite(workdir) as url:
        env = {**os.environ, "AIGAP_DATABASE_URL": url}
        port = free_port()
        with serving([*AIGAP, "serve", "--port", str(port)], port, "/healthz", env):
            yield f"http://127.0.0.1:{port}"


@contextmanager
def _seeded_sqlite(workdir: Path) -> Iterator[str]:
    with throwaway_database("sqlite", workdir) as url:
        env = {**os.environ, "AIGAP_DATABASE_URL": url}
        subprocess.run([*AIGAP, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*AIGAP, "seed"], env=env, cwd=ROOT, check=True, capture_output=True)
        yield url


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
    # One browser start does all three: the DOM dump, the screenshot and the network log.
    dom = _run_browser(
        [*common, f"--log-net-log={netlog}", f"--screenshot={screenshot}", "--dump-dom", url],
        screenshot,
    )
    return dom, page_requests(netlog, url.split("/", 3)[:3])


def _run_browser(
    command: list[str], screenshot: Path, attempts: int = 2, timeout: float = 90, linger: float = 10
) -> str:
    """Run headless Chromium; the DOM it dumped.

    On a loaded machine Chromium has been seen to hang after dumping the DOM, with or without
    its screenshot written; the two normally come within a tenth of a second of each other.
    A browser with both done and still running `linger` seconds later is stopped (SIGTERM,
    which still closes its net log); one with the DOM but no screenshot `linger` seconds later,
    or with neither by `timeout`, gets one more try. A page that never settles hangs every try
    and still fails."""
    for _ in range(attempts - 1):
        with suppress(subprocess.TimeoutExpired):
            return _browse_once(command, screenshot, timeout, linger)
    return _browse_once(command, screenshot, timeout, linger)


def _browse_once(command: list[str], screenshot: Path, timeout: float, linger: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dom.html"
        with dump.open("wb") as sink:
            browser = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        dom_at: float | None = None
        try:
            while browser.poll() is None:
                now = time.monotonic()
                if now - started > timeout:
                    raise subprocess.TimeoutExpired(command, timeout)
                if dom_at is None and _dom_dumped(dump):
                    dom_at = now
                if dom_at is not None and now - dom_at > linger:
                    if screenshot_problem(screenshot):
                        raise subprocess.TimeoutExpired(command, now - started)
                    browser.terminate()
                    browser.wait(timeout=10)
                    break
                time.sleep(0.1)
        finally:
            if browser.poll() is None:
                browser.kill()
                browser.wait()
        if browser.returncode not in (0, -signal.SIGTERM):
            raise subprocess.CalledProcessError(browser.returncode, command)
        return dump.read_text(errors="replace")


def _dom_dumped(dump: Path) -> bool:
    with dump.open("rb") as written:
        written.seek(0, os.SEEK_END)
        written.seek(max(0, written.tell() - 64))
        return DOM_END in written.read()


def page_requests(netlog: Path, origin_parts: list[str]) -> list[str]:
    """URLs the page asked for (initiated by its origin), not the browser's own traffic."""
    origin = "/".join(origin_parts)
    events = _events(netlog.read_text(errors="replace"))
    return sorted(
        {
            event["params"]["url"]
            for event in events
            if event.get("params", {}).get("initiator") == origin and "url" in event["params"]
        }
    )


def _events(log: str) -> list[dict[str, Any]]:
    """A net log's events, also from a log cut short by a browser killed before it closed it
    (one event a line)."""
    try:
        events: list[dict[str, Any]] = json.loads(log).get("events", [])
        return events
    except json.JSONDecodeError:
        events = []
        for line in log.splitlines():
            with suppress(json.JSONDecodeError):
                event = json.loads(line.rstrip().removesuffix("],").rstrip(","))
                if isinstance(event, dict) and "phase" in event:
                    events.append(event)
        return events


def screenshot_problem(shot: Path) -> str | None:
    if not shot.exists() or shot.stat().st_size < MIN_SCREENSHOT_BYTES:
        return "screenshot missing or blank"
    return None


PageCheck = Callable[[str, str, Path, Path], list[str]]  # browser, base URL, workdir, out


def check_offline(out: Path, check_pages: PageCheck, database_url: str | None = None) -> list[str]:
    """The problems `check_pages` finds with a fresh server (on `database_url`, a migrated and
    seeded database, if given); screenshots go to `out`."""
    browser = chromium()
    if browser is None:
        return ["chromium is not installed (apt-get install chromium)"]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), database_url) as base:
        return check_pages(browser, base, Path(tmp), out)


def main(doc: str, check: Callable[[Path], list[str]], out: str, passed: str) -> int:
    """Command line of an offline check: FAIL lines and exit status 1, or one ok line."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / out)
    args = parser.parse_args()
    problems = check(args.out)
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print(f"ok: {passed}; screenshots in {args.out}")
    return 1 if problems else 0
