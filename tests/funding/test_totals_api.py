"""GET /v1/funding/totals on the report's figures: like with like, every exclusion named."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import FundingRecord
from api.services.revisions import write_revision

URL = "/v1/funding/totals"


def totals(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_default_totals_never_mix_measures_or_periods(client: TestClient) -> None:
    body = totals(client)
    assert body["method"] == "funding_totals"
    assert "total_usd" not in body
    assert body["parameters"]["statuses"] == ["actual", "budgeted", "estimate", "projected"]
    seen = set()
    for group in body["groups"]:
        key = (
            group["measure"],
            group["period"],
            group["per_year"],
            group["country"],
            group["level"],
        )
        assert key not in seen
        seen.add(key)
        assert group["bound"] in {"exact", "at_least", "at_most", "approximate", "range"}
    us_federal = {
        g["period"]: g["amount_usd"]
        for g in body["groups"]
        if (g["country"], g["level"], g["measure"]) == ("US", "central_government", "annual_budget")
    }
    assert us_federal == {"2021": 8.2e9, "2024": 10.4e9, "2024-10/2025-09": 11.2e9}
    excluded = {e["key"]: e for e in body["excluded"]}
    assert excluded["us-federal-ai-it-rd-fy2025-dod"]["rule"] == "overlap"
    assert excluded["us-openai-stargate"]["rule"] == "status"
    assert "possibly" not in excluded["us-meta-ai-spend-2025"]["reason"]
    assert (
        "may already be included in us-ai-capex-2025"
        in (excluded["us-meta-ai-spend-2025"]["reason"])
    )
    counted = {k for g in body["groups"] for k in g["record_keys"]}
    assert not counted & set(excluded)


def test_big_fund_phases_are_fund_sizes_not_spending(client: TestClient) -> None:
    body = totals(client, country="CN", level="state_semiconductor_fund", group_by="country")
    phases = {
        g["period"]: (g["measure"], g["amount_usd"])
        for g in body["groups"]
        if "cn-big-fund-phase-1" in g["record_keys"] or "cn-big-fund-phase-2" in g["record_keys"]
    }
    assert phases == {"2014": ("fund_size", 21e9), "2019": ("fund_size", 28e9)}
    spread = totals(client, country="CN", level="state_semiconductor_fund", annualize="true")
    stock = {e["key"]: e["rule"] for e in spread["excluded"]}
    assert stock["cn-big-fund-phase-1"] == "stock"


def test_the_guidance_funds_annualize_to_16_7_billion_a_year(client: TestClient) -> None:
    body = totals(
        client,
        level="government_guidance_funds",
        measure="period_spending",
        annualize="true",
        **{"from": 2013, "to": 2023},
    )
    years = {g["period"]: g for g in body["groups"]}
    assert sorted(years) == [str(y) for y in range(2013, 2024)]
    for group in years.values():
        assert round(group["amount_usd"] / 1e9, 1) == 16.7
        assert group["record_keys"] == ["cn-guidance-funds-ai-2000-2023"]
        assert group["per_year"] is True
        (how,) = group["annualized"]
        assert (how["span_start"], how["span_end"]) == ("2013-01-01", "2023-12-31")
    excluded = {e["key"]: e["reason"] for e in body["excluded"]}
    assert "same money" in excluded["cn-guidance-funds-ai-annualized-2013-2023"]
    assert "same money" in excluded["cn-government-vc-funds-ai-share"]
    assert "no period" in excluded["cn-guidance-funds-ai-annual-approx"]


def test_the_nber_figure_is_not_filed_as_subnational(client: TestClient) -> None:
    record = client.get("/v1/funding/records/cn-guidance-funds-ai-2000-2023").json()
    assert (record["level"], record["measure"]) == ("government_guidance_funds", "period_spending")
    assert (record["annualize_start"], record["annualize_end"]) == ("2013-01-01", "2023-12-31")


def test_a_total_with_a_more_than_record_is_at_least(client: TestClient) -> None:
    body = totals(client, country="US", level="corporate_capex")
    (capex,) = [g for g in body["groups"] if g["period"] == "2025"]
    assert (capex["amount_usd"], capex["bound"]) == (320e9, "at_least")
    loans = totals(
        client, country="CN", measure="period_spending", level="state_semiconductor_fund"
    )
    (group,) = [g for g in loans["groups"] if g["period"] == "2014/2018"]
    assert group["bound"] == "at_least"


def test_every_non_usd_amount_shows_its_rate(client: TestClient) -> None:
    body = totals(
        client, country="CN", status="actual,budgeted,estimate,projected,announced,target"
    )
    for group in body["groups"]:
        keys = set(group["record_keys"])
        converted = {c["key"] for c in group["conversions"]}
        cny = {
            k for k in keys if client.get(f"/v1/funding/records/{k}").json()["currency"] != "USD"
        }
        assert converted == cny
        for conversion in group["conversions"]:
            assert conversion["fx_rate"] > 0
            assert conversion["rate_basis"] == "source"
            assert conversion["rate_source"]
    rates = {c["fx_rate"] for g in body["groups"] for c in g["conversions"]}
    assert min(rates) >= 0.136
    assert max(rates) <= 0.152


def test_a_cny_amount_without_usd_uses_the_nearest_reference_rate(
    client: TestClient, session: Session
) -> None:
    write_revision(
        session,
        FundingRecord,
        "cn-test-rmb-only",
        {
            "program": "A test line with only an RMB figure",
            "country": "CN",
            "level": "central_government",
            "measure": "annual_budget",
            "amount": 10e9,
            "currency": "CNY",
            "status": "budgeted",
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 12, 31),
            "source_location": "test",
        },
    )
    body = totals(client, keys="cn-test-rmb-only")
    (group,) = body["groups"]
    (conversion,) = group["conversions"]
    assert conversion["rate_basis"] == "reference"
    assert conversion["fx_rate"] == 0.1382  # March 2025, the nearest to the period's end
    assert "fx-usd-per-cny-2025-03" in conversion["rate_source"]
    assert group["amount_usd"] == pytest.approx(1.382e9)


def test_a_year_filter_lists_undated_records(client: TestClient) -> None:
    body = totals(client, **{"from": 2024, "to": 2025})
    rules = {e["key"]: e["rule"] for e in body["excluded"]}
    assert rules["us-google-ai-infrastructure"] == "undated"
    assert rules["us-ny-empire-ai"] == "undated"
    assert rules["cn-guidance-funds-ai-2000-2023"] == "outside_years"


def test_keys_select_records_and_asking_for_announced_adds_them(client: TestClient) -> None:
    body = totals(client, keys="us-federal-ai-core-cross-cut-fy2025")
    assert [(g["amount_usd"], g["period"]) for g in body["groups"]] == [(2.8e9, "2024-10/2025-09")]
    asked = totals(client, country="US", status="actual,budgeted,announced")
    keys = {k for g in asked["groups"] for k in g["record_keys"]}
    assert "us-openai-stargate" in keys


def test_a_key_with_no_record_is_named_not_left_out(client: TestClient) -> None:
    """A total of named records that quietly dropped a misspelt one would be quoted as the
    total of them all."""
    for asked in ("us-federal-ai-core-cross-cut-fy2025,us-federl-typo", "nothing-here"):
        for extra in ({}, {"format": "csv"}):
            response = client.get(URL, params={"keys": asked, **extra})
            assert response.status_code == 400, response.text
            assert response.headers["content-type"] == "application/problem+json"
            [error] = response.json()["errors"]
            assert error["field"] == "query.keys"
            typo = asked.split(",")[-1]
            assert repr(typo) in error["reason"]
            assert "us-federal-ai-core-cross-cut-fy2025" not in error["reason"]
    past = client.get(
        URL,
        params={"keys": "us-federal-ai-core-cross-cut-fy2025", "as_of": "2000-01-01T00:00:00Z"},
    )
    assert past.status_code == 400
    assert "as of 2000-01-01" in past.json()["errors"][0]["reason"]


def test_totals_as_csv_print_the_bound(client: TestClient) -> None:
    json_groups = totals(client)["groups"]
    for request in ({"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}):
        response = client.get(URL, **request)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == len(json_groups)
        assert {"measure", "period", "bound", "amount_usd", "conversions"} <= set(rows[0])
        capex = next(r for r in rows if r["record_keys"] == "us-ai-capex-2025")
        assert (capex["bound"], capex["amount_usd"]) == ("at_least", "320000000000")
    assert client.get(URL, params={"format": "csv"}).headers["etag"]


def test_bad_parameters_are_400_problems(client: TestClient) -> None:
    for params in (
        {"group_by": "planet"},
        {"group_by": "year"},
        {"status": "rumoured"},
        {"from": "twenty"},
        {"country": "usa"},
        {"measure": "vibes"},
        {"level": "galactic"},
        {"keys": "Not A Key"},
        {"from": "2025", "to": "2020"},
    ):
        response = client.get(URL, params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"].startswith("query."), params
