"""GET /v1/sources."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient


def test_lists_the_report_as_a_source(client: TestClient) -> None:
    response = client.get("/v1/sources")
    assert response.status_code == 200
    body = response.json()
    # the report, the Arena leaderboard imports default to, and the model registry
    assert body["total"] == 3
    source = next(s for s in body["items"] if s["key"] == "insikt-2025-us-china-ai-gap")
    assert source["publisher"] == "Recorded Future Insikt Group"
    assert source["published_on"] == "2025-05-08"
    assert source["revision"] == 1


def test_as_of_before_the_data_existed_is_empty(client: TestClient) -> None:
    response = client.get("/v1/sources", params={"as_of": "2000-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "limit": 50, "page": 1}


def test_as_of_now_sees_the_source(client: TestClient) -> None:
    now = datetime.now(UTC).isoformat()
    assert client.get("/v1/sources", params={"as_of": now}).json()["total"] == 3


def test_limit_above_maximum_is_a_400_problem(client: TestClient) -> None:
    response = client.get("/v1/sources", params={"limit": 5000})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.limit"
