"""Error messages a person can act on: allowed values by name, never a pattern."""

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("url", "field", "names"),
    [
        ("/v1/funding/records?sort=amout", "query.sort", "Sortable: key, country"),
        ("/v1/models/arena-scores?from=2025-1", "query.from", "YYYY-MM"),
        ("/v1/models/arena-scores?country=usa", "query.country", "`US`, `CN`"),
        ("/v1/models/arena-scores?format=xml", "query.format", "json, csv"),
    ],
)
def test_a_bad_value_names_what_is_allowed(
    client: TestClient, url: str, field: str, names: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    error = next(e for e in body["errors"] if e["field"] == field)
    assert names in error["reason"]
    assert "should match pattern" not in response.text
    assert "^" not in error["reason"]


def test_an_unknown_pillar_is_a_404_naming_the_pillars(client: TestClient) -> None:
    response = client.get("/v1/scorecard/fundng")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert "'fundng'" in detail
    assert all(p in detail for p in ("funding", "regulation", "compute"))


def test_a_key_that_cannot_exist_is_a_404_saying_what_keys_look_like(client: TestClient) -> None:
    response = client.get("/v1/models/catalog/Not A Key")
    assert response.status_code == 404
    assert "lower-case letters, digits" in response.json()["detail"]
