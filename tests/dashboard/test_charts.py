"""The chart endpoints and renderers: one Vega-Lite spec per chart, rendered to accessible SVG
and to PNG by vl-convert, from the database."""

import importlib.util
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.charts.render import chart_png, chart_svg
from api.charts.specs import arena_spec, funding_spec, lag_spec
from api.charts.theme import PAPER
from api.models import ArenaScore
from api.models.lag import LagSeries
from api.models.totals import GroupField
from api.services.citations import Citation, funding_citations, source_line
from api.services.funding import funding_totals
from api.services.lag import ArenaPoint, compute_lag
from api.services.revisions import write_revision

SVG = "{http://www.w3.org/2000/svg}"
ARENA_SVG = "/v1/models/arena-scores/chart.svg"
LAG_SVG = "/v1/models/lag/chart.svg"
ARENA_VL = "/v1/models/arena-scores/chart.vl.json"
LAG_VL = "/v1/models/lag/chart.vl.json"
ARENA_PNG = "/v1/models/arena-scores/chart.png"
LAG_PNG = "/v1/models/lag/chart.png"
CHART_PATHS = (ARENA_SVG, LAG_SVG, ARENA_VL, LAG_VL, ARENA_PNG, LAG_PNG)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@cache
def vega_lite_schema() -> dict[str, Any]:
    """The Vega-Lite v5 JSON schema shipped inside altair: found without importing it."""
    spec = importlib.util.find_spec("altair")
    assert spec is not None
    assert spec.submodule_search_locations
    package = Path(next(iter(spec.submodule_search_locations)))
    schema: dict[str, Any] = json.loads(
        (package / "vegalite" / "v5" / "schema" / "vega-lite-schema.json").read_text()
    )
    return schema


def validate_vega_lite(spec: dict[str, Any]) -> None:
    schema = vega_lite_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(spec)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def source_text(root: ET.Element) -> str:
    """The chart's source line (the title under the plot), joined back from its lines."""
    for group in root.iter(f"{SVG}g"):
        label = group.get("aria-label") or ""
        if "role-title-text" in (group.get("class") or "") and "Source" in label:
            return " ".join(texts(group))
    return ""


def marks(root: ET.Element, name: str) -> list[ET.Element]:
    """The shapes of the layer named `name` in the spec, in data order."""
    return [
        shape
        for group in root.iter(f"{SVG}g")
        if f"{name}_marks" in (group.get("class") or "").split()
        for shape in group
    ]


def points(root: ET.Element) -> list[ET.Element]:
    return marks(root, "arena_points") + marks(root, "lag_points")


def hover(mark: ET.Element) -> str:
    tip = mark.find(f"{SVG}title")
    assert tip is not None  # every data mark shows its words under the pointer
    assert tip.text == mark.get("aria-label")
    return tip.text or ""


def assert_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox")
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text
    assert desc.text
    assert len(desc.text) > len(title.text)  # a text alternative, not a second label


def arena_point(month: str, model: str, country: str, score: float) -> ArenaPoint:
    return ArenaPoint(month, model, "Lab", country, score)


# --- the renderers, without a database ----------------------------------------------------


def test_text_is_escaped() -> None:
    series = compute_lag(
        [
            arena_point("2024-01", "<script>&model", "US", 1200),
            arena_point("2024-01", 'cn "quoted"', "CN", 1100),
        ]
    )
    svg = chart_svg(arena_spec(series, "Source: A & B <c>"))
    root = parse(svg)  # well-formed despite the markup in names
    assert "<script>" not in svg
    assert "A & B <c>" in source_text(root)
    assert any("<script>&model" in hover(mark) for mark in points(root))


def test_china_leading_is_drawn_below_zero() -> None:
    series = compute_lag(
        [
            arena_point("2024-01", "us-a", "US", 1200),
            arena_point("2024-01", "cn-a", "CN", 1100),
            arena_point("2024-02", "us-a", "US", 1200),
            arena_point("2024-02", "cn-b", "CN", 1250),
            arena_point("2024-03", "us-b", "US", 1210),
            arena_point("2024-03", "cn-c", "CN", 1260),
        ]
    )
    assert series.series[-1].lag_months == -1  # China first reached 1210 a month earlier
    root = parse(chart_svg(lag_spec(series, "Source: test")))
    assert_accessible(root)
    assert len(points(root)) == 3
    assert "below 0: China leads" in texts(root)
    marked = [float(p.get("transform", "").split(",")[1].rstrip(")")) for p in points(root)]
    assert marked[-1] > marked[0]  # drawn lower: SVG y grows downwards


def test_empty_series_says_so() -> None:
    series = compute_lag([], from_month="2030-01")
    for spec in (arena_spec(series, "Source: none"), lag_spec(series, "Source: none")):
        root = parse(chart_svg(spec))
        assert_accessible(root)
        assert points(root) == []
        validate_vega_lite(spec)
    assert "No Arena scores" in chart_svg(arena_spec(series, "s"))


def test_the_png_is_rendered_from_the_same_spec() -> None:
    series = compute_lag([arena_point("2024-01", "us-a", "US", 1200)])
    png = chart_png(arena_spec(series, "Source: test"))
    assert png.startswith(PNG_SIGNATURE)
    assert chart_png(arena_spec(series, "Source: test")) is png  # rendered once, then cached


def test_source_line_groups_by_work() -> None:
    line = source_line(
        [
            Citation("Pub", "Report", "Appendix B", "Arena"),
            Citation("Pub", "Report", "Table 1", ""),
            Citation("Other", "Paper", "p. 3", ""),
        ]
    )
    assert line == "Sources: Other, Paper, p. 3 | Arena via Pub, Report, Appendix B; Table 1"
    assert source_line([]).startswith("Source: no records")


def test_vega_lite_validation_is_not_vacuous() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate_vega_lite({"mark": "no-such-mark", "data": {"values": []}})


def test_funding_svg_has_a_bar_per_group(session: Session) -> None:
    totals = funding_totals(
        session, data_version=1, group_by=(GroupField.country, GroupField.level)
    )
    spec = funding_spec(totals, source_line(funding_citations(session, totals)))
    validate_vega_lite(spec)
    root = parse(chart_svg(spec))
    assert_accessible(root)
    bars = marks(root, "funding_bars")
    assert len(bars) == len(totals.groups)
    assert all(hover(bar) for bar in bars)
    rows = spec["vconcat"][0]["data"]["values"]
    assert sorted((r["country"], r["level_key"]) for r in rows) == sorted(
        (g.country, g.level) for g in totals.groups
    )
    assert "Total, billions of US dollars" in texts(root)
    source = source_text(root)
    assert source.startswith("Source")
    assert "Federal Budget IQ" in source  # cited by counted records, read from the records


# --- the endpoints, on the seeded database -------------------------------------------------


def lag_json(client: TestClient, **params: str) -> LagSeries:
    return LagSeries.model_validate(client.get("/v1/models/lag", params=params).json())


def test_arena_svg(client: TestClient) -> None:
    response = client.get(ARENA_SVG)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = parse(response.text)
    assert_accessible(root)
    labels = texts(root)
    assert "Arena (Elo) score, points" in labels
    assert "Month" in labels
    source = source_text(root)
    assert source.startswith("Source")
    assert "LMsys ChatArena via" in source
    assert "Appendix B" in source
    lines = [p for p in root.iter(f"{SVG}path") if p.get("aria-roledescription") == "line mark"]
    assert len(lines) == 2  # one per country
    assert {"US", "China"} <= set(texts(root))  # each line named at its end
    lag = lag_json(client)
    assert len(points(root)) == sum(1 for p in lag.series for top in (p.us, p.cn) if top)
    tooltips = " ".join(hover(mark) for mark in points(root))
    assert "deepseek-r1" in tooltips
    assert "grok-3-preview-02-24" in tooltips


def test_lag_svg_marks_censored_months(client: TestClient) -> None:
    response = client.get(LAG_SVG)
    assert response.headers["content-type"] == "image/svg+xml"
    root = parse(response.text)
    assert_accessible(root)
    assert "Lag, months" in texts(root)
    assert any("censored" in text for text in texts(root))  # the legend says so
    lag = lag_json(client)
    censored = [p.month for p in lag.series if p.censored]
    assert censored  # the seeded data starts with censored months
    marked = [p for p in points(root) if "censored" in hover(p)]
    assert len(marked) == len(censored)
    for triangle in marked:  # an open up-triangle: a lower bound, not a point at the value
        assert triangle.get("fill") == PAPER
        assert (triangle.get("d") or "").startswith("M0,-")  # the apex above the value
        assert (triangle.get("d") or "").endswith("Z")
    exact = [p for p in points(root) if p not in marked]
    assert all(p.get("fill") != PAPER for p in exact)
    # Segments touching a censored month are dashed: the four censored months, and the step
    # from the last of them to the first exact month.
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "6,4"]
    assert len(dashed) == len(censored)
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert all(month in (desc.text or "") for month in censored)


@pytest.mark.parametrize("path", [ARENA_VL, LAG_VL])
def test_vega_lite_specs_validate(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-type"] == "application/json"
    spec = response.json()
    validate_vega_lite(spec)
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    assert spec["vconcat"][0]["data"]["values"]
    assert spec["description"]
    assert "LMsys ChatArena via" in spec["usermeta"]["source"]
    assert spec["usermeta"]["data_version"] == lag_json(client).data_version


def test_lag_vega_lite_carries_the_censored_flag(client: TestClient) -> None:
    rows = client.get(LAG_VL).json()["vconcat"][0]["data"]["values"]
    lag = lag_json(client)
    assert [(r["month"], r["lag_months"], r["censored"]) for r in rows] == [
        (p.month, p.lag_months, p.censored) for p in lag.series
    ]


@pytest.mark.parametrize("path", CHART_PATHS)
def test_etag_and_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_from_to_and_tolerance_change_the_charts(client: TestClient) -> None:
    plain = client.get(LAG_SVG).text
    ranged = parse(client.get(LAG_SVG, params={"from": "2024-06", "to": "2024-12"}).text)
    assert len(points(ranged)) == 7
    assert "2024-06 to 2024-12" in " ".join(texts(ranged))
    tolerant = client.get(LAG_SVG, params={"tolerance": 60}).text
    assert tolerant != plain
    assert "tolerance 60 Elo points" in tolerant
    wide = lag_json(client, tolerance="60")
    spec = client.get(LAG_VL, params={"tolerance": 60}).json()
    rows = spec["vconcat"][0]["data"]["values"]
    assert [r["lag_months"] for r in rows] == [p.lag_months for p in wide.series]
    arena = parse(client.get(ARENA_SVG, params={"from": "2025-01"}).text)
    assert len(points(arena)) == 6  # three months, two countries


def test_a_new_month_shows_up_in_the_charts(client: TestClient, session: Session) -> None:
    before = client.get(ARENA_SVG)
    write_revision(
        session,
        ArenaScore,
        "2025-04.deepseek-r1",
        {
            "month": "2025-04",
            "model_key": "deepseek-r1",
            "score": 1370,
            "ci_lower": None,
            "ci_upper": None,
            "votes": None,
            "source_key": "insikt-2025-us-china-ai-gap",
            "source_location": "a later data drop",
            "cited_source": "LMsys ChatArena",
            "note": None,
        },
    )
    after = client.get(ARENA_SVG, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert "2025-04" in after.text
    assert "a later data drop" in after.text  # the source line comes from the records


@pytest.mark.parametrize("path", CHART_PATHS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024-13"}, "query.from"),
        ({"to": "2024-1"}, "query.to"),
        ({"tolerance": "-1"}, "query.tolerance"),
        ({"color": "red"}, "query.color"),
    ],
)
def test_bad_parameters_are_a_400_problem(
    client: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_openapi_documents_the_media_types(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (ARENA_SVG, LAG_SVG):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content == {"image/svg+xml": {"schema": {"type": "string"}}}
    for path in (ARENA_VL, LAG_VL):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert list(content) == ["application/json"]
    for path in (ARENA_PNG, LAG_PNG):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert list(content) == ["image/png"]
    ids = {paths[p]["get"]["operationId"] for p in CHART_PATHS}
    assert ids == {
        "get_arena_chart_svg",
        "get_lag_chart_svg",
        "get_arena_chart_vega_lite",
        "get_lag_chart_vega_lite",
        "get_arena_chart_png",
        "get_lag_chart_png",
    }


@pytest.mark.parametrize("path", [ARENA_PNG, LAG_PNG])
def test_png(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
