"""Timeline events: dated, located, filterable; a span never ends before it starts."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.models.timeline import TimelineEventCreate


def test_filters_by_pillar_kind_country_and_date(client: TestClient) -> None:
    talent = client.get("/v1/timeline/events", params={"pillar": "talent"}).json()["items"]
    assert {e["key"] for e in talent} == {
        "nber-chilling-effect-working-paper-2024-10",
        "cset-talent-plans-report-2024-05",
    }
    legal = client.get("/v1/timeline/events", params={"kind": "legal_action"}).json()["items"]
    assert {e["country"] for e in legal} == {"US", "KR"}
    recent = client.get(
        "/v1/timeline/events", params={"from": "2025-01-01", "country": "CN"}
    ).json()["items"]
    assert all(e["event_date"] >= "2025-01-01" for e in recent)
    assert {e["key"] for e in recent} >= {"harbin-institute-euv-light-source-2025-01"}


def test_timeline_as_csv(client: TestClient) -> None:
    response = client.get("/v1/timeline/events", params={"format": "csv", "limit": 5})
    assert response.status_code == 200
    assert response.text.splitlines()[0].startswith("key,")


def test_a_span_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="end_date is before event_date"):
        TimelineEventCreate.model_validate(
            {
                "key": "backwards",
                "pillar": "overall",
                "kind": "plan",
                "title": "Backwards",
                "event_date": date(2020, 1, 1),
                "date_precision": "year",
                "end_date": date(2019, 12, 31),
                "source_location": "test",
            }
        )


def test_unknown_kind_is_a_400(client: TestClient) -> None:
    response = client.get("/v1/timeline/events", params={"kind": "Rumour!"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
