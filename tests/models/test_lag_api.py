"""GET /v1/models/lag and /v1/models/lag/current over HTTP."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import AiModel, ArenaScore
from api.services.revisions import write_revision


def test_lag_endpoint_explains_itself(client: TestClient) -> None:
    body = client.get("/v1/models/lag", params={"explain": "true"}).json()
    assert body["method"] == "whole_month"
    assert body["parameters"] == {
        "method": "whole_month",
        "tolerance": 0.0,
        "draws": 2000,
        "seed": 0,
        "from_month": None,
        "to_month": None,
    }
    assert "min{m' <= m" in body["definition"]
    assert len(body["series"]) == 15
    assert len(body["inputs"]) == 30
    assert body["summary"]["uncensored_months"] == 11
    months = {p["month"]: p for p in body["series"]}
    assert months["2025-01"]["lag_months"] == 2
    assert months["2024-01"]["censored"] is True


def test_current_lag_is_the_latest_month(client: TestClient) -> None:
    body = client.get("/v1/models/lag/current").json()
    assert body["month"] == "2025-03"
    assert (body["lag_months"], body["censored"], body["leader"]) == (4, False, "US")
    assert body["us"]["model"] == "grok-3-preview-02-24"
    assert body["cn"]["model"] == "deepseek-r1"
    assert body["data_version"] > 0


def test_a_new_month_shows_up_in_the_lag(client: TestClient, session: Session) -> None:
    etag = client.get("/v1/models/lag/current").headers["etag"]
    model = {
        "name": "new-cn-model",
        "organization": "Lab",
        "country": "CN",
        "source_location": "test",
        "source_key": "insikt-2025-us-china-ai-gap",
        "cited_source": None,
        "note": None,
        "release_date": None,
        "open_weights": None,
        "mmlu": None,
        "gpqa": None,
        "usd_per_m_input": None,
        "usd_per_m_output": None,
    }
    write_revision(session, AiModel, "new-cn-model", model)
    for model_key, score in (("new-cn-model", 1412), ("grok-3-preview-02-24", 1405)):
        write_revision(
            session,
            ArenaScore,
            f"2025-04.{model_key}",
            {
                "month": "2025-04",
                "model_key": model_key,
                "score": score,
                "ci_lower": None,
                "ci_upper": None,
                "votes": None,
                "source_key": "insikt-2025-us-china-ai-gap",
                "source_location": "test",
                "cited_source": None,
                "note": None,
            },
        )
    response = client.get("/v1/models/lag/current", headers={"If-None-Match": etag})
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2025-04"
    # No US month reaches 1412, so the countries swap: China first reached the US's 1405
    # in 2025-04 itself; China leads by 0 whole months.
    assert (body["leader"], body["lag_months"]) == ("CN", 0)


def test_bad_parameters(client: TestClient) -> None:
    assert client.get("/v1/models/lag", params={"tolerance": -1}).status_code == 400
    assert client.get("/v1/models/lag", params={"method": "magic"}).status_code == 400
    assert client.get("/v1/models/lag", params={"from": "2025-1"}).status_code == 400


def test_the_lag_series_downloads_as_csv(client: TestClient) -> None:
    import csv
    import io

    twin = client.get("/v1/models/lag.csv")
    assert twin.status_code == 200, twin.text
    assert twin.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(twin.text)))
    assert [r["month"] for r in rows][:2] == ["2024-01", "2024-02"]
    first = rows[0]
    assert (first["lag_months"], first["lag_months_at_least"], first["censored"]) == (
        "",
        "0",
        "true",
    )
    assert rows[-1]["us_model"] == "grok-3-preview-02-24"
    accept = client.get("/v1/models/lag", headers={"Accept": "text/csv"})
    assert accept.headers["content-type"].startswith("text/csv")
    assert accept.text == twin.text
    by_format = client.get("/v1/models/lag", params={"format": "csv"})
    assert by_format.status_code == 200, by_format.text
    assert by_format.text == twin.text
    assert client.get("/v1/models/lag").headers["content-type"] == "application/json"
