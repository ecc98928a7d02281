"""GET /dashboard: the charts, the scorecard, data version and sources, offline and filtered."""

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.charts.text import ARENA_TITLE, FUNDING_TITLE, LAG_TITLE
from api.models import Source
from api.services.revisions import write_revision
from api.web.dashboard_page import PILLAR_NAMES, VERDICT_TEXT

CHARTS = {"arena-chart": ARENA_TITLE, "lag-chart": LAG_TITLE, "funding-chart": FUNDING_TITLE}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def dashboard(client: TestClient, **params: str) -> Tags:
    response = client.get("/dashboard", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return Tags(response.text)


def test_root_redirects_to_the_dashboard(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/dashboard"


def test_the_charts_are_inline_and_accessible(client: TestClient) -> None:
    page = dashboard(client)
    svgs = {attrs["id"]: attrs for attrs in page.all("svg")}
    assert set(svgs) == set(CHARTS)
    ids = {attrs.get("id") for _, attrs in page.tags}
    for chart_id, title in CHARTS.items():
        assert svgs[chart_id]["role"] == "img"
        assert svgs[chart_id]["width"] == "100%"
        assert svgs[chart_id]["viewbox"]  # HTMLParser lower-cases attribute names
        assert svgs[chart_id]["aria-labelledby"] == f"{chart_id}-title {chart_id}-desc"
        assert {f"{chart_id}-title", f"{chart_id}-desc"} <= ids
        assert title in page.text


def test_the_scorecard_table_has_every_pillar_and_verdict(client: TestClient) -> None:
    card = client.get("/v1/scorecard").json()
    html = client.get("/dashboard").text
    assert len(card["pillars"]) == 6
    for pillar in card["pillars"]:
        start = html.index(f'<tr data-pillar="{pillar["pillar"]}">')
        row = html[start : html.index("</tr>", start)]
        assert PILLAR_NAMES[pillar["pillar"]] in row
        assert VERDICT_TEXT[pillar["verdict"]] in row
        assessment = pillar["assessment"]
        assert assessment["likelihood"] in row
        low, high = assessment["probability_min"], assessment["probability_max"]
        assert f"{low}\N{EN DASH}{high}%" in row
    assert card["bottom_line"]["statement"] in html


def test_data_version_and_sources(client: TestClient) -> None:
    version = client.get("/v1/models/lag").json()["data_version"]
    html = client.get("/dashboard").text
    assert f'<strong id="data-version">{version}</strong>' in html
    for source in client.get("/v1/sources").json()["items"]:
        assert source["title"] in html
        assert source["publisher"] in html
        assert f'href="/v1/sources/{source["key"]}"' in html
    assert "LMsys ChatArena via Recorded Future Insikt Group" in html


def test_nothing_is_loaded_or_linked_from_another_host(client: TestClient) -> None:
    response = client.get("/dashboard")
    page = Tags(response.text)
    references = [
        attrs[name] for _, attrs in page.tags for name in ("src", "href", "action") if name in attrs
    ]
    assert references
    assert [r for r in references if not r.startswith(("/", "#", "?"))] == []
    assert page.all("script") == []
    stylesheets = [attrs["href"] for attrs in page.all("link") if attrs.get("rel") == "stylesheet"]
    assert stylesheets == ["/static/dashboard.css"]
    css = client.get(stylesheets[0])
    assert css.headers["content-type"].startswith("text/css")
    for text in (response.text, css.text):
        assert "url(" not in text  # no CSS fetch: fonts, images or imports
        assert "@import" not in text


def test_form_controls_are_labelled(client: TestClient) -> None:
    page = dashboard(client)
    labelled = {attrs["for"] for attrs in page.all("label")}
    inputs = page.all("input")
    assert {attrs["name"] for attrs in inputs} == {"from", "to", "tolerance"}
    assert all(attrs["id"] in labelled for attrs in inputs)
    assert ":focus-visible" in client.get("/static/dashboard.css").text


def test_unset_month_inputs_stay_empty(client: TestClient) -> None:
    """A month input without a value shows its placeholder, not Chromium's "--------- ----"."""
    months = [a for a in dashboard(client).all("input") if a["name"] in ("from", "to")]
    assert [(a["type"], a["value"], a["placeholder"]) for a in months] == [
        ("text", "", "YYYY-MM"),
        ("text", "", "YYYY-MM"),
    ]


def test_the_data_date_stands_beside_its_version(client: TestClient) -> None:
    html = client.get("/dashboard").text
    changed = client.get("/v1/changes", params={"limit": 1000}).json()["items"][-1]["changed_at"]
    date = Tags(html).all("time")
    assert [attrs["id"] for attrs in date] == ["data-date"]
    assert date[0]["datetime"][:19] == changed[:19]


def test_unknown_parameters_are_ignored_and_named(client: TestClient) -> None:
    page = client.get("/dashboard", params={"utm_source": "newsletter", "contry": "CN"})
    assert page.status_code == 200
    assert 'id="ignored-parameters"' in page.text
    assert "Ignored: contry, utm_source" in page.text
    assert 'id="ignored-parameters"' not in client.get("/dashboard").text


def test_filters_change_the_page(client: TestClient) -> None:
    default = client.get("/dashboard").text
    filtered = client.get(
        "/dashboard", params={"from": "2024-06", "to": "2024-12", "tolerance": "60"}
    ).text
    assert filtered != default
    page = Tags(filtered)
    values = {attrs["name"]: attrs["value"] for attrs in page.all("input")}
    assert values == {"from": "2024-06", "to": "2024-12", "tolerance": "60"}
    assert "2024-06 to 2024-12" in filtered
    assert "tolerance 60 Elo points" in filtered
    assert "/v1/models/lag/chart.svg?from=2024-06&amp;to=2024-12&amp;tolerance=60" in filtered
    assert "In 2024-12," in filtered  # the headline is the last month in range


def test_empty_form_fields_mean_no_filter(client: TestClient) -> None:
    blank = client.get("/dashboard", params={"from": "", "to": "", "tolerance": ""})
    assert blank.status_code == 200
    assert blank.text == client.get("/dashboard").text


def test_an_empty_range_renders_without_data(client: TestClient) -> None:
    html = client.get("/dashboard", params={"from": "2025-01", "to": "2024-01"}).text
    assert "No Arena scores in this selection" in html
    assert "No month in this selection has Arena scores" in html


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-13"},
        {"to": "yesterday"},
        {"tolerance": "-5"},
        {"tolerance": "lots"},
        {"tolerance": "5000"},
        {"tolerance": "nan"},
    ],
)
def test_bad_filters_are_a_400_problem(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/dashboard", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert [e["field"] for e in body["errors"]] == [f"query.{name}" for name in params]


def test_a_browser_gets_a_page_for_bad_filters(client: TestClient) -> None:
    response = client.get(
        "/dashboard",
        params={"from": "2024-13", "tolerance": "<b>"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'role="alert"' in response.text
    assert "query.from" in response.text
    assert "query.tolerance" in response.text
    page = Tags(response.text)
    values = {attrs["name"]: attrs["value"] for attrs in page.all("input")}
    # The form, ready to correct: months as typed, a tolerance that is no number back at 0.
    assert values == {"from": "2024-13", "to": "", "tolerance": "0"}


def test_etag_and_304(client: TestClient) -> None:
    first = client.get("/dashboard")
    again = client.get("/dashboard", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_text_from_the_data_is_escaped(client: TestClient, session: Session) -> None:
    write_revision(
        session,
        Source,
        "a-hostile-source",
        {
            "title": "<script>alert(1)</script>",
            "publisher": 'Quote " & Co',
            "published_on": None,
            "url": "javascript:alert(1)",
            "description": None,
        },
    )
    page = client.get("/dashboard")
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'href="javascript:' not in page.text


def test_the_lag_with_its_interval_and_no_claim_the_data_do_not_make(
    client: TestClient, session: Session
) -> None:
    from tests.models.test_lmarena_import import FIXTURE
    from tests.writes.helpers import bearer

    response = client.post(
        "/v1/models/arena-scores/import/lmarena",
        params={"month": "2025-04", "snapshot": "2025-04-24"},
        content=FIXTURE.read_bytes(),
        headers={**bearer(session), "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    page = dashboard(client)
    text = " ".join(page.text)
    assert "In 2025-04, China's best model (deepseek-v3-0324" in text
    assert "by 4 months (90%: 4)" in text  # the interval beside the value, as the API has it
    assert "at least 0 months" in text  # a censored month is a bound, never a 0-month lag
    assert "trend no clear trend (slope" in text  # beside the report's "shortening"
    assert "widening" not in text
    band = [attrs for name, attrs in page.tags if "interval_marks" in attrs.get("class", "")]
    assert len(band) == 1
    html = client.get("/dashboard").text
    group = html[html.index("interval_marks") :]
    group = group[: group.index("</g>")]
    assert group.count("<path") == 1  # one month with an interval: one band, a month wide
