"""Render /docs and /redoc in headless Chromium with every non-local address cut off.

Starts a real server on a throwaway SQLite database, loads each page through a dead proxy
(nothing but loopback is reachable), checks that the API's operations rendered, that the
browser asked for nothing outside 127.0.0.1, and saves a screenshot of each page.

    python scripts/check_docs_offline.py [--out DIR]

Exit status 0 when both pages render offline. Used by tests/api/test_docs_offline.py.
"""

import argparse
import json
import tempfile
from pathlib import Path

from scripts.chromium import ROOT, chromium, render, running_server, screenshot_problem

PAGES = {
    # page: text that only appears once the UI has rendered the OpenAPI document
    "/docs": "operations-observations-list_observations",
    "/redoc": "List observations",
}


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
            if blank := screenshot_problem(shot):
                problems.append(f"{page}: {blank}")
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
