"""The dashboard's funding section prints bounds and periods, and no grand total."""

from fastapi.testclient import TestClient


def test_the_dashboard_prints_bounds_periods_and_no_total(client: TestClient) -> None:
    html = client.get("/dashboard").text
    funding = html[html.index('id="funding-h"') : html.index('id="scorecard-h"')]
    assert "at least $320 bn" in funding  # "over $320 billion" stays a floor
    assert "$2.00 bn to $9.00 bn a year" in funding  # China's estimate stays a range
    assert "2024-10/2025-09" in funding  # FY2025 is its own period
    assert "counted over" not in funding  # no sum across groups
    assert "/v1/funding/comparisons" in funding
