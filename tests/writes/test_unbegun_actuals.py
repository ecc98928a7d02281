"""An actual figure is of a period that has begun. A year typed 2062 for 2026 would
otherwise be quoted as what happened, and lead every "latest" figure; a later figure is
projected, budgeted, announced, a target or an estimate, at every door."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.services.funding import FUNDING_RECORDS
from api.services.indicators import OBSERVATIONS
from api.services.validation import Invalid, check
from tests.writes.helpers import bearer

LATER = (datetime.now(UTC) + timedelta(days=400)).year
OBSERVATION = {
    "indicator_key": "ai-accelerators",
    "country": "US",
    "period": str(LATER),
    "value": 20_000_000,
    "source_key": "insikt-2025-us-china-ai-gap",
    "source_location": "a test",
}
FUNDING = {
    "program": "A programme",
    "country": "US",
    "level": "central_government",
    "measure": "annual_budget",
    "amount": 1e9,
    "currency": "USD",
    "amount_usd": 1e9,
    "period_start": f"{LATER}-01-01",
    "period_end": f"{LATER}-12-31",
    "source_key": "insikt-2025-us-china-ai-gap",
    "source_location": "a test",
}


@pytest.mark.parametrize(
    ("path", "body"),
    [("/v1/observations", OBSERVATION), ("/v1/funding/records", FUNDING)],
)
def test_an_actual_figure_of_a_later_period_is_refused(
    client: TestClient, session: Session, path: str, body: dict[str, object]
) -> None:
    auth = bearer(session)
    refused = client.post(path, json={**body, "key": "later", "status": "actual"}, headers=auth)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    reasons = " ".join(e["reason"] for e in refused.json()["errors"])
    assert f"status actual for a period from {LATER}-01-01, which has not begun" in reasons
    projected = client.post(
        path, json={**body, "key": "later", "status": "projected"}, headers=auth
    )
    assert projected.status_code == 201, projected.text


def test_the_default_status_is_actual_so_a_later_row_must_say_what_it_is(
    client: TestClient, session: Session
) -> None:
    headers = {**bearer(session), "Content-Type": "text/csv"}
    header = "indicator_key,country,period,value,source_location"
    row = f"ai-accelerators,US,{LATER},20000000,next drop table 1"
    response = client.post("/v1/observations/import", content=f"{header}\n{row}\n", headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith("line 2")
    fixed = f"{header},status\n{row},projected\n"
    done = client.post("/v1/observations/import", content=fixed, headers=headers)
    assert done.status_code == 200, done.text


def test_a_figure_of_this_year_may_be_actual() -> None:
    this_year = datetime.now(UTC).year
    cases = [
        (OBSERVATIONS, OBSERVATION, {"period": str(this_year)}, {"period": str(LATER)}),
        (
            FUNDING_RECORDS,
            FUNDING,
            {"period_start": f"{this_year}-01-01", "period_end": f"{LATER}-12-31"},
            {"period_start": f"{LATER}-01-01"},
        ),
    ]
    for kind, raw, now, later in cases:
        check(kind, {**raw, **now, "key": "now", "status": "actual"})
        with pytest.raises(Invalid):
            check(kind, {**raw, **later, "key": "later", "status": "actual"})
