"""Render /dashboard in headless Chromium at 1280 and 375 px wide with the network cut.

Starts a real server on a throwaway, seeded SQLite database (scripts/check_docs_offline.py
does the same for /docs), loads the page through a dead proxy at each width, checks that
the charts and the scorecard rendered with the seeded data (read back from the API), that
the browser asked for nothing outside 127.0.0.1, and saves a screenshot of each width.

    python -m scripts.check_dashboard_offline [--out DIR]     (from the repository root)

Exit status 0 when the page renders offline at both widths. Used by
tests/dashboard/test_dashboard_browser.py.
"""

import html
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

from api.charts.text import ARENA_TITLE, FUNDING_TITLE, LAG_TITLE
from api.web.dashboard_page import VERDICT_TEXT
from scripts.chromium import check_offline, main, render, screenshot_problem

# width: window height, tall enough that the screenshot holds the whole page
WIDTHS = {1280: 3300, 375: 7800}
CHART_TITLES = {"arena-chart": ARENA_TITLE, "lag-chart": LAG_TITLE, "funding-chart": FUNDING_TITLE}
CENSORED_FILL = 'fill="#ffffff"'


def fetch_json(url: str) -> Any:
    # generous: a cold worker's first lag or chart is slow on a loaded machine
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def svg_of(dom: str, chart_id: str) -> str:
    """The markup of one inline chart, or "" when it is missing."""
    found = re.search(rf'<svg[^>]*\bid="{chart_id}".*?</svg>', dom, re.DOTALL)
    return found.group(0) if found else ""


def marks_of(svg: str, layer: str) -> list[str]:
    """The shapes of one named layer of a chart (`<layer>_marks` in Vega's SVG)."""
    found = re.search(rf'class="[^"]*\b{layer}_marks"[^>]*>(.*?)</g>', svg, re.DOTALL)
    return re.findall(r"<path\b[^>]*>", found.group(1)) if found else []


def chart_problems(dom: str, lag: dict[str, Any]) -> list[str]:
    problems = []
    for chart_id, title in CHART_TITLES.items():
        found = re.search(rf'<title id="{chart_id}-title">(.*?)</title>', svg_of(dom, chart_id))
        if found is None or html.unescape(found.group(1)) != title:
            problems.append(f"{chart_id}: missing, or without its <title>")
    tops = sum(1 for p in lag["series"] for c in ("us", "cn") if p[c])
    arena_points = len(marks_of(svg_of(dom, "arena-chart"), "arena_points"))
    if tops == 0 or arena_points != tops:
        problems.append(f"arena-chart: {arena_points} markers for {tops} top scores")
    # A censored month is drawn too: at its lower bound.
    lags = sum(
        1
        for p in lag["series"]
        if p["lag_months"] is not None or p["lag_months_at_least"] is not None
    )
    lag_marks = marks_of(svg_of(dom, "lag-chart"), "lag_points")
    lag_points = len(lag_marks)
    if lags == 0 or lag_points != lags:
        problems.append(f"lag-chart: {lag_points} markers for {lags} months with a lag")
    censored = sum(1 for p in lag["series"] if p["censored"])
    if sum(1 for mark in lag_marks if CENSORED_FILL in mark) < censored:
        problems.append("lag-chart: censored months are not marked")
    return problems


def scorecard_problems(dom: str, scorecard: dict[str, Any]) -> list[str]:
    problems = []
    for pillar in scorecard["pillars"]:
        row = re.search(rf'<tr data-pillar="{pillar["pillar"]}">.*?</tr>', dom, re.DOTALL)
        verdict = VERDICT_TEXT[pillar["verdict"]]
        if row is None or verdict not in row.group(0):
            problems.append(f"scorecard: {pillar['pillar']} row without its verdict {verdict}")
    if scorecard["bottom_line"]["statement"] not in dom:
        problems.append("scorecard: the bottom line is missing")
    return problems


def check_page(browser: str, base: str, workdir: Path, shot: Path, width: int) -> list[str]:
    dom, urls = render(browser, base + "/dashboard", workdir, shot, (width, WIDTHS[width]), 10_000)
    lag = fetch_json(base + "/v1/models/lag")
    problems = chart_problems(dom, lag) + scorecard_problems(
        dom, fetch_json(base + "/v1/scorecard")
    )
    if f'<strong id="data-version">{lag["data_version"]}</strong>' not in dom:
        problems.append(f"the data version {lag['data_version']} is not shown")
    outside = [u for u in urls if not u.startswith(base)]
    if outside:
        problems.append(f"asked for non-local URLs: {json.dumps(outside)}")
    if blank := screenshot_problem(shot):
        problems.append(blank)
    return [f"/dashboard at {width} px: {problem}" for problem in problems]


def check(out: Path, database_url: str | None = None) -> list[str]:
    return check_offline(out, _check_widths, database_url)


def _check_widths(browser: str, base: str, workdir: Path, out: Path) -> list[str]:
    problems: list[str] = []
    for width in WIDTHS:
        problems += check_page(browser, base, workdir, out / f"dashboard-{width}.png", width)
    return problems


if __name__ == "__main__":
    raise SystemExit(
        main(__doc__, check, "dashboard-offline", "/dashboard renders offline at 1280 and 375 px")
    )
