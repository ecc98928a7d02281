"""Lists: pages with totals and Link headers, filters, sort, limits, unknown parameters."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.routes import LIST_PATHS


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_answers_a_page_with_total_and_links(client: TestClient, path: str) -> None:
    response = client.get(path, params={"limit": 2})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items", "total", "limit", "page"}
    assert body["total"] >= len(body["items"])
    assert response.headers["x-total-count"] == str(body["total"])
    assert "first" in _links(response.headers["link"])


def test_walking_the_pages_visits_every_record_once(client: TestClient) -> None:
    first = client.get("/v1/observations", params={"limit": 7, "country": "US"})
    total = first.json()["total"]
    assert total > 14
    seen: list[str] = []
    url: str | None = "/v1/observations?limit=7&country=US"
    pages = 0
    while url:
        response = client.get(url)
        assert response.json()["total"] == total
        seen.extend(item["key"] for item in response.json()["items"])
        links = _links(response.headers["link"])
        if pages > 0:
            assert "prev" in links
        url = links.get("next")
        pages += 1
    assert len(seen) == total == len(set(seen))
    assert pages == -(-total // 7)
    assert _links(first.headers["link"])["last"].endswith(f"page={pages}")


def test_default_sort_is_stable_and_sort_is_honoured(client: TestClient) -> None:
    ascending = client.get("/v1/funding/records", params={"sort": "amount_usd", "limit": 1000})
    values = [i["amount_usd"] for i in ascending.json()["items"] if i["amount_usd"] is not None]
    assert values == sorted(values)
    descending = client.get("/v1/funding/records", params={"sort": "-amount_usd", "limit": 3})
    assert descending.json()["items"][0]["key"] == "us-openai-stargate"  # $500 billion
    again = client.get("/v1/funding/records", params={"sort": "-amount_usd", "limit": 3})
    assert again.json() == descending.json()


@pytest.mark.parametrize(
    ("path", "params", "check"),
    [
        ("/v1/observations", {"country": "CN"}, lambda i: i["country"] == "CN"),
        ("/v1/observations", {"country": "US,CN"}, lambda i: i["country"] in ("US", "CN")),
        ("/v1/observations", {"pillar": "talent"}, lambda i: i["key"]),
        (
            "/v1/observations",
            {"indicator": "ai-accelerators"},
            lambda i: i["indicator_key"] == "ai-accelerators",
        ),
        ("/v1/observations", {"status": "projected"}, lambda i: i["status"] == "projected"),
        ("/v1/observations", {"from": "2025-01-01"}, lambda i: i["period_end"] >= "2025-01-01"),
        ("/v1/observations", {"to": "2019-12-31"}, lambda i: i["period_start"] <= "2019-12-31"),
        (
            "/v1/funding/records",
            {"level": "state_semiconductor_fund"},
            lambda i: i["level"] == "state_semiconductor_fund",
        ),
        ("/v1/funding/records", {"currency": "CNY"}, lambda i: i["currency"] == "CNY"),
        ("/v1/regulation/events", {"country": "CN"}, lambda i: i["jurisdiction"] == "CN"),
        (
            "/v1/regulation/events",
            {"from": "2023-01-01", "to": "2023-12-31"},
            lambda i: "2023" in i["event_date"],
        ),
        (
            "/v1/models/arena-scores",
            {"country": "CN", "from": "2025-01"},
            lambda i: i["country"] == "CN" and i["month"] >= "2025-01",
        ),
        (
            "/v1/models/arena-scores",
            {"organization": "Google"},
            lambda i: i["organization"] == "Google",
        ),
        (
            "/v1/models/arena-scores",
            {"model": "deepseek-r1"},
            lambda i: i["model_key"] == "deepseek-r1",
        ),
        ("/v1/models/catalog", {"country": "US"}, lambda i: i["country"] == "US"),
        ("/v1/assessments", {"pillar": "talent"}, lambda i: i["pillar"] == "talent"),
        (
            "/v1/assessments",
            {"likelihood": "very likely"},
            lambda i: i["likelihood"] == "very likely",
        ),
        (
            "/v1/compute/data-centers",
            {"hub": "Inner Mongolia Hub"},
            lambda i: i["hub"] == "Inner Mongolia Hub",
        ),
        ("/v1/talent/institutions", {"sector": "Academia"}, lambda i: i["sector"] == "Academia"),
        ("/v1/indicators", {"pillar": "compute"}, lambda i: i["pillar"] == "compute"),
    ],
)
def test_filters(client: TestClient, path: str, params: dict[str, str], check: object) -> None:
    everything = client.get(path, params={"limit": 1000}).json()["total"]
    response = client.get(path, params={**params, "limit": 1000})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items, params
    assert len(items) < everything, f"{params} filtered nothing"
    assert callable(check)
    assert all(check(item) for item in items)


def test_pillar_views_only_hold_their_pillar(client: TestClient) -> None:
    talent = client.get("/v1/talent/observations", params={"limit": 1000}).json()
    by_filter = client.get("/v1/observations", params={"pillar": "talent", "limit": 1000}).json()
    assert talent["total"] == by_filter["total"] > 0
    indicators = client.get("/v1/diffusion/indicators", params={"limit": 1000}).json()
    assert {i["pillar"] for i in indicators["items"]} == {"diffusion"}


def test_mrv_keeps_the_latest_periods_per_indicator_and_country(client: TestClient) -> None:
    everything = client.get(
        "/v1/observations", params={"indicator": "huawei-ai-chip-yield", "limit": 100}
    ).json()
    assert {i["period"] for i in everything["items"]} == {"2024", "2025", None}
    latest = client.get(
        "/v1/observations", params={"indicator": "huawei-ai-chip-yield", "mrv": 1}
    ).json()
    assert [(i["period"], i["value"]) for i in latest["items"]] == [("2025", 40)]
    assert latest["total"] == 1


def test_indicator_observations(client: TestClient) -> None:
    response = client.get("/v1/indicators/ai-accelerators/observations")
    assert {(i["country"], i["value"]) for i in response.json()["items"]} == {
        ("US", 14_310_000),
        ("CN", 4_800_000),
    }
    assert client.get("/v1/indicators/no-such-code/observations").status_code == 404


@pytest.mark.parametrize("limit", ["0", "-1", "1001", "99999999999999999999", "ten"])
def test_out_of_range_limits_are_400(client: TestClient, limit: str) -> None:
    response = client.get("/v1/observations", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "query.limit"


def test_unknown_parameter_is_named_with_the_accepted_ones(client: TestClient) -> None:
    response = client.get("/v1/observations", params={"contry": "CN"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [{"field": "query.contry", "reason": "unknown query parameter"}]
    assert "country" in body["accepted"]
    assert "contry" in body["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01"}, "query.from"),
        ({"to": "yesterday"}, "query.to"),
        ({"country": "usa"}, "query.country"),
        ({"sort": "nonsense"}, "query.sort"),
        ({"as_of": "2025-02-30T00:00:00Z"}, "query.as_of"),
        ({"mrv": "0"}, "query.mrv"),
    ],
)
def test_bad_values_name_the_field(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get("/v1/observations", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("sort", ["key,key", "-amount_usd,country,amount_usd"])
def test_a_sort_field_named_twice_is_a_400_naming_it(client: TestClient, sort: str) -> None:
    response = client.get("/v1/funding/records", params={"sort": sort})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == [
        {"field": "query.sort", "reason": f"{sort.split(',')[-1]!r} named twice"}
    ]


def test_every_sortable_field_at_once(client: TestClient) -> None:
    fields = "-key,country,level,measure,amount,amount_usd,period_start,period_end"
    response = client.get("/v1/funding/records", params={"sort": fields, "limit": 5})
    assert response.status_code == 200
    assert response.json()["items"][0]["key"] == max(
        item["key"] for item in client.get("/v1/funding/records?limit=1000").json()["items"]
    )


def test_arena_month_filter_rejects_a_bad_month(client: TestClient) -> None:
    response = client.get("/v1/models/arena-scores", params={"from": "2025-1"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "query.from"


def test_source_filter(client: TestClient) -> None:
    everything = client.get("/v1/observations").json()["total"]
    report = client.get("/v1/observations", params={"source": "insikt-2025-us-china-ai-gap"})
    assert report.json()["total"] == everything
    other = client.get("/v1/observations", params={"source": "some-other-source"})
    assert other.json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"), [({"hub": ""}, "hub"), ({"hub": ","}, "hub"), ({"source": " "}, "source")]
)
def test_an_empty_filter_is_a_400_not_a_crash(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/v1/compute/data-centers", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == f"query.{field}"


def test_a_nul_character_in_a_query_is_a_400(client: TestClient) -> None:
    response = client.get("/v1/compute/data-centers", params={"company": "Ten\x00cent"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "query.company", "reason": "contains a NUL character"}
    ]
