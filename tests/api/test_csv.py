"""CSV on every list: loads with pandas.read_csv and no options, same rows as the JSON."""

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.api.routes import LIST_PATHS


@pytest.mark.parametrize("path", LIST_PATHS)
def test_csv_round_trips_through_pandas(client: TestClient, path: str) -> None:
    json_body = client.get(path, params={"limit": 1000}).json()
    response = client.get(path, params={"limit": 1000}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    frame = pd.read_csv(io.StringIO(response.text))
    assert len(frame) == len(json_body["items"])
    assert frame.columns[0] == "key"
    assert list(frame["key"]) == [item["key"] for item in json_body["items"]]
    same = client.get(path, params={"limit": 1000, "format": "csv"})
    assert same.text == response.text


def test_csv_values_match_the_json(client: TestClient) -> None:
    response = client.get("/v1/models/catalog", params={"format": "csv"})
    frame = pd.read_csv(io.StringIO(response.text)).set_index("key")
    assert frame.loc["deepseek-r1", "usd_per_m_input"] == 0.55
    assert bool(frame.loc["deepseek-r1", "open_weights"]) is True
    assert frame.loc["o1", "organization"] == "OpenAI"
    paths = client.get("/openapi.json").json()["paths"]
    # JSON stays the one documented answer of the list; CSV is documented on its twin.
    assert list(paths["/v1/models/catalog"]["get"]["responses"]["200"]["content"]) == [
        "application/json"
    ]
    twin = paths["/v1/models/catalog.csv"]["get"]
    assert list(twin["responses"]["200"]["content"]) == ["text/csv"]
    assert "`usd_per_m_input`" in twin["description"]
    assert client.get("/v1/models/catalog.csv").text == response.text
