"""Writing funding records: the measure is required; inconsistent fields are 422 problems."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models.auth import Scope
from tests.writes.helpers import bearer

URL = "/v1/funding/records"


@pytest.fixture
def auth(session: Session) -> dict[str, str]:
    return bearer(session, "curator-bob", Scope.write)


def record(**changes: Any) -> dict[str, Any]:
    return {
        "key": "us-federal-ai-it-rd-fy2026",
        "program": "Federal AI and IT R&D budget",
        "country": "US",
        "level": "central_government",
        "measure": "annual_budget",
        "amount": 12e9,
        "currency": "USD",
        "amount_usd": 12e9,
        "status": "budgeted",
        "period_start": "2025-10-01",
        "period_end": "2026-09-30",
        "source_location": "next drop",
        **changes,
    }


def test_a_new_budget_line_counts_in_its_own_period(
    client: TestClient, auth: dict[str, str]
) -> None:
    created = client.post(URL, json=record(), headers=auth)
    assert created.status_code == 201, created.text
    body = client.get(
        "/v1/funding/totals", params={"country": "US", "measure": "annual_budget"}
    ).json()
    periods = {g["period"]: g["amount_usd"] for g in body["groups"]}
    assert periods["2025-10/2026-09"] == 12e9
    assert periods["2024-10/2025-09"] == 11.2e9


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"measure": None}, "body.measure"),
        ({"measure": "vibes"}, "body.measure"),
        ({"overlaps_with": "us-federal-ai-it-rd-fy2025"}, "body"),
        ({"qualifier": "between"}, "body"),
        ({"amount_max": 1e9, "qualifier": "between"}, "body"),
        ({"annualize_start": "2026-01-01"}, "body"),
        ({"inferred_fields": "period_start,colour"}, "body"),
        ({"period_start": "2027-01-01"}, "body"),
    ],
)
def test_inconsistent_records_are_422_problems(
    client: TestClient, auth: dict[str, str], changes: dict[str, Any], field: str
) -> None:
    body = record(**changes)
    if changes.get("measure") is None and "measure" in changes:
        del body["measure"]
    response = client.post(URL, json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = [e["field"] for e in response.json()["errors"]]
    assert any(f.startswith(field) for f in fields), fields
    assert client.get(f"{URL}/us-federal-ai-it-rd-fy2026").status_code == 404
