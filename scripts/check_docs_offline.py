"""Render /docs and /redoc in headless Chromium with every non-local address cut off.

Starts a real server on a throwaway SQLite database, loads each page through a dead proxy
(nothing but loopback is reachable), checks that the API's operations rendered, that the
browser asked for nothing outside 127.0.0.1, and saves a screenshot of each page.

    python -m scripts.check_docs_offline [--out DIR]     (from the repository root)

Exit status 0 when both pages render offline. Used by tests/api/test_docs_offline.py.
"""

import json
from pathlib import Path

from scripts.chromium import check_offline, main, render, screenshot_problem

PAGES = {
    # page: text that only appears once the UI has rendered the OpenAPI document
    "/docs": "operations-observations-list_observations",
    "/redoc": "List observations",
}


def check(out: Path, database_url: str | None = None) -> list[str]:
    return check_offline(out, _check_pages, database_url)


def _check_pages(browser: str, base: str, workdir: Path, out: Path) -> list[str]:
    problems = []
    for page, marker in PAGES.items():
        shot = out / f"{page.strip('/')}.png"
        dom, urls = render(browser, base + page, workdir, shot)
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


if __name__ == "__main__":
    raise SystemExit(main(__doc__, check, "docs-offline", "/docs and /redoc render offline"))
