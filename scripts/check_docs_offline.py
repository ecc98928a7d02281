"""Render /docs and /redoc in headless Chromium with every non-local address cut off.

Starts a real server on a throwaway SQLite database, loads each page through a dead proxy
(nothing but loopback is reachable), checks that the API's operations rendered, that the
browser asked for nothing outside 127.0.0.1, and saves a screenshot of each page.

    python scripts/check_docs_offline.py [--out DIR]

Exit status 0 when both pages render offline. Used by tests/api/test_docs_offline.py.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    # page: text that only appears once the UI has rendered the OpenAPI document
    "/docs": "operations-observations-list_observations",
    "/redoc": "List observations",
}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(workdir: Path) -> Iterator[str]:
    env = {**os.environ, "AIGAP_DATABASE_URL": f"sqlite:///{workdir / 'docs.db'}"}
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


def render(browser: str, url: str, workdir: Path, screenshot: Path) -> tuple[str, list[str]]:
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
        "--proxy-server=http://127.0.0.1:9",  # a dead proxy: only loopback bypasses it
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={workdir / ('profile-' + screenshot.stem)}",
        "--virtual-time-budget=20000",
        "--window-size=1280,1600",
    ]
    dom = subprocess.run(
        [*common, f"--log-net-log={netlog}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    subprocess.run(
        [*common, f"--screenshot={screenshot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return dom, _page_requests(netlog, url.split("/", 3)[:3])


def _page_requests(netlog: Path, origin_parts: list[str]) -> list[str]:
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


def check(out: Path) -> list[str]:
    browser = chromium()
    if browser is None:
        return ["chromium is not installed (apt-get install chromium)"]
    problems = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as base:
        for page, marker in PAGES.items():
            shot = out / f"{page.strip('/')}.png"
            dom, urls = render(browser, base + page, Path(tmp), shot)
            if marker not in dom:
                problems.append(f"{page}: did not render (no {marker!r} in the DOM)")
            if not any(u.startswith(base + "/static/docs/") for u in urls):
                problems.append(f"{page}: no request for the local assets was seen")
            outside = [u for u in urls if not u.startswith(base)]
            if outside:
                problems.append(f"{page}: asked for non-local URLs: {json.dumps(outside)}")
            if not shot.exists() or shot.stat().st_size < 10_000:
                problems.append(f"{page}: screenshot missing or blank")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "docs-offline")
    args = parser.parse_args()
    problems = check(args.out)
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print(f"ok: /docs and /redoc render offline; screenshots in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
