"""GET /v1/funding/totals on the report's figures."""

from fastapi.testclient import TestClient


def test_default_totals_count_each_dollar_once(client: TestClient) -> None:
    body = client.get("/v1/funding/totals", params={"group_by": "country"}).json()
    assert body["method"] == "funding_totals"
    assert body["parameters"]["statuses"] == ["actual", "budgeted", "estimate", "projected"]
    excluded = {e["key"]: e["reason"] for e in body["excluded"]}
    assert (
        "already included in us-federal-ai-it-rd-fy2025"
        in excluded["us-federal-ai-it-rd-fy2025-dod"]
    )
    assert "announced" in excluded["us-openai-stargate"]
    assert (
        "already included in cn-guidance-funds-ai-2000-2023"
        in excluded["cn-government-vc-funds-ai-share"]
    )
    counted = {k for g in body["groups"] for k in g["record_keys"]}
    assert not counted & set(excluded)
    assert body["total_usd"] == sum(g["amount_usd"] for g in body["groups"])


def test_us_federal_by_year(client: TestClient) -> None:
    body = client.get(
        "/v1/funding/totals",
        params={"group_by": "year", "country": "US", "level": "central_government"},
    ).json()
    assert {g["year"]: g["amount_usd"] for g in body["groups"]} == {
        "2021": 8.2e9,
        "2024": 10.4e9,
        "2025": 11.2e9,
    }


def test_asking_for_announced_amounts_adds_them(client: TestClient) -> None:
    default = client.get("/v1/funding/totals", params={"country": "US"}).json()["total_usd"]
    asked = client.get(
        "/v1/funding/totals", params={"country": "US", "status": "actual,budgeted,announced"}
    ).json()
    keys = {k for g in asked["groups"] for k in g["record_keys"]}
    assert "us-openai-stargate" in keys
    assert asked["total_usd"] != default


def test_annualized_stargate_spreads_over_its_years(client: TestClient) -> None:
    body = client.get(
        "/v1/funding/totals",
        params={
            "group_by": "year",
            "status": "announced",
            "annualize": "true",
            "level": "corporate_capex",
        },
    ).json()
    years = {g["year"] for g in body["groups"]}
    assert {"2025", "2026", "2027", "2028", "2029"} <= years


def test_bad_parameters_are_400(client: TestClient) -> None:
    for params in (
        {"group_by": "planet"},
        {"status": "rumoured"},
        {"from": "twenty"},
        {"country": "usa"},
    ):
        response = client.get("/v1/funding/totals", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"] == "application/problem+json"
