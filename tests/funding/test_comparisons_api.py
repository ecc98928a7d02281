"""GET /v1/funding/comparisons: the report's comparisons, one request each, with caveats."""

from typing import Any

from fastapi.testclient import TestClient

from api.models.comparisons import SideValue
from api.models.totals import Bound
from api.services.comparisons import ratio

URL = "/v1/funding/comparisons"


def comparison(client: TestClient, key: str) -> dict[str, Any]:
    response = client.get(f"{URL}/{key}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_list_names_each_comparison(client: TestClient) -> None:
    items = client.get(URL).json()["items"]
    assert [i["key"] for i in items] == [
        "us-federal-vs-cn-central-ai-rd",
        "cn-guidance-funds-vs-us-state",
        "private-investment-us-vs-cn",
    ]
    for item in items:
        assert client.get(item["href"]).status_code == 200


def test_us_2_8_billion_beside_chinas_low_confidence_range(client: TestClient) -> None:
    body = comparison(client, "us-federal-vs-cn-central-ai-rd")
    us, cn = body["sides"]
    assert (us["country"], us["value"]["amount_usd"], us["value"]["bound"]) == (
        "US",
        2.8e9,
        "exact",
    )
    assert us["value"]["period"] == "2024-10/2025-09"
    assert us["query"] == "/v1/funding/totals?keys=us-federal-ai-core-cross-cut-fy2025"
    assert (cn["value"]["amount_usd"], cn["value"]["amount_usd_max"], cn["value"]["bound"]) == (
        2e9,
        9e9,
        "range",
    )
    (record,) = cn["records"]
    assert record["confidence"] == "low"
    assert record["inferred_fields"] == "amount,amount_max,amount_usd,amount_usd_max"
    assert record["source_location"] == "section Government and Venture Capital (VC) Funding"
    assert body["comparable"] is True
    assert body["ratio_us_to_cn"] == {"low": round(2.8 / 9, 4), "high": 1.4}
    estimate = next(
        a for a in body["assessments"] if a["key"] == "funding-central-government-estimate"
    )
    assert estimate["confidence"] == "low"
    assert any("several billion" in c["text"] for c in body["caveats"])
    assert all(c["source_location"] is None or c["source_location"] for c in body["caveats"])
    # The side's query gives the same figure.
    again = client.get(us["query"]).json()["groups"]
    assert [g["amount_usd"] for g in again] == [2.8e9]


def test_guidance_funds_per_year_beside_us_state_funding(client: TestClient) -> None:
    body = comparison(client, "cn-guidance-funds-vs-us-state")
    us, cn = body["sides"]
    assert round(cn["value"]["amount_usd"] / 1e9, 1) == 16.7
    assert (cn["value"]["period"], cn["value"]["per_year"]) == ("2013/2023", True)
    assert cn["value"]["how"] == "mean of 11 calendar years"
    assert len(cn["groups"]) == 11
    assert (us["value"]["amount_usd"], us["value"]["measure"]) == (565e6, "fund_size")
    assert us["records"][0]["key"] == "us-ny-empire-ai"
    assert body["comparable"] is False  # a yearly rate beside an undated fund: no ratio
    assert body["ratio_us_to_cn"] is None
    assert "different measures" in body["comparable_reason"]
    texts = " ".join(c["text"] for c in body["caveats"])
    assert "public and private" in texts
    assert "overestimate" in texts
    assert {o["key"] for o in body["observations"]} == {
        "cn-guidance-funds-ai-firms-cn-2000-2023",
        "government-vc-funds-ai-share-cn-2013-2023",
    }


def test_private_investment_has_the_reports_words_but_no_invented_amounts(
    client: TestClient,
) -> None:
    body = comparison(client, "private-investment-us-vs-cn")
    for side in body["sides"]:
        assert side["groups"] == []
        assert side["value"]["amount_usd"] is None
    assert body["ratio_us_to_cn"] is None
    statements = " ".join(a["statement"] for a in body["assessments"])
    assert "vastly outmatches" in statements
    assert any("Figure 5" in (c["source_location"] or "") for c in body["caveats"])
    assert [o["value"] for o in body["observations"]] == [2100, 9000]


def test_an_unknown_comparison_is_a_404_problem(client: TestClient) -> None:
    response = client.get(f"{URL}/who-wins")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "path.key"


def value(amount: float, bound: Bound, high: float | None = None) -> SideValue:
    return SideValue(
        amount_usd=amount,
        amount_usd_max=high,
        bound=bound,
        per_year=True,
        period="2025",
        measure=None,
        how="one group",
    )


def test_the_ratio_respects_both_bounds() -> None:
    assert ratio(value(4, Bound.exact), value(2, Bound.exact)).model_dump() == {
        "low": 2,
        "high": 2,
    }
    assert ratio(value(4, Bound.at_least), value(2, Bound.exact)).model_dump() == {
        "low": 2,
        "high": None,
    }
    assert ratio(value(4, Bound.exact), value(1, Bound.range, 4)).model_dump() == {
        "low": 1,
        "high": 4,
    }
    assert ratio(value(4, Bound.exact), value(2, Bound.at_most)).model_dump() == {
        "low": 2,
        "high": None,
    }
