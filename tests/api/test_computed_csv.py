"""The computed figures as CSV, by the same rules as every list: a `.csv` twin,
`Accept: text/csv` or `format=csv`; JSON stays the one documented answer."""

import csv
import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

CASES = [
    ("/v1/models/lag", "month", 15),
    ("/v1/funding/totals", "measure", None),
    ("/v1/scorecard", "pillar", 6),
]


@pytest.mark.parametrize(("path", "column", "rows"), CASES)
def test_every_way_of_asking_gives_the_same_csv(
    client: TestClient, path: str, column: str, rows: int | None
) -> None:
    twin = client.get(path + ".csv")
    assert twin.status_code == 200, twin.text
    assert twin.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(twin.text))
    assert column in frame.columns
    if rows is not None:
        assert len(frame) == rows
    assert client.get(path, params={"format": "csv"}).text == twin.text
    assert client.get(path, headers={"Accept": "text/csv"}).text == twin.text
    assert client.get(path).headers["content-type"] == "application/json"


@pytest.mark.parametrize(("path", "column", "rows"), CASES)
def test_json_is_the_one_documented_answer_and_csv_the_twins(
    client: TestClient, path: str, column: str, rows: int | None
) -> None:
    del rows
    paths = client.get("/openapi.json").json()["paths"]
    assert list(paths[path]["get"]["responses"]["200"]["content"]) == ["application/json"]
    twin = paths[path + ".csv"]["get"]
    assert list(twin["responses"]["200"]["content"]) == ["text/csv"]
    assert f"`{column}`" in twin["description"]


def test_scorecard_rows_carry_verdicts_and_the_reports_words(client: TestClient) -> None:
    frame = pd.read_csv(io.StringIO(client.get("/v1/scorecard.csv").text)).set_index("pillar")
    assert frame.loc["regulation", "verdict"] == "not_stated"
    assert frame.loc["compute", "verdict"] == "US"
    assert isinstance(frame.loc["models", "assessment"], str)


def test_totals_rows_print_their_bound(client: TestClient) -> None:
    frame = pd.read_csv(io.StringIO(client.get("/v1/funding/totals.csv").text))
    assert "bound" in frame.columns
    assert set(frame["bound"]) <= {
        "exact",
        "at_least",
        "at_most",
        "approximate",
        "range",
        "unbounded",
    }


PILLARS = ["funding", "regulation", "talent", "diffusion", "models", "compute"]


@pytest.mark.parametrize("pillar", PILLARS)
def test_a_pillars_scorecard_as_csv_is_its_row_of_the_whole(
    client: TestClient, pillar: str
) -> None:
    path = f"/v1/scorecard/{pillar}"
    twin = client.get(path + ".csv")
    assert twin.status_code == 200, twin.text
    assert twin.headers["content-type"].startswith("text/csv")
    assert client.get(path, params={"format": "csv"}).text == twin.text
    assert client.get(path, headers={"Accept": "text/csv"}).text == twin.text
    assert client.get(path).headers["content-type"] == "application/json"
    assert len(pd.read_csv(io.StringIO(twin.text))) == 1
    (row,) = csv.DictReader(io.StringIO(twin.text))
    whole = csv.DictReader(io.StringIO(client.get("/v1/scorecard.csv").text))
    assert [each for each in whole if each["pillar"] == pillar] == [row]
    assert row["verdict"] == client.get(path).json()["verdict"]


def test_a_pillars_csv_twin_is_documented_beside_its_json(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    json_answer = paths["/v1/scorecard/{pillar}"]["get"]["responses"]["200"]["content"]
    assert list(json_answer) == ["application/json"]
    twin = paths["/v1/scorecard/{pillar}.csv"]["get"]
    assert list(twin["responses"]["200"]["content"]) == ["text/csv"]
    assert "`verdict`" in twin["description"]
    assert any(p["name"] == "pillar" and p["in"] == "path" for p in twin["parameters"])


def test_an_unknown_pillar_as_csv_is_a_404_naming_the_pillars(client: TestClient) -> None:
    response = client.get("/v1/scorecard/fundng.csv")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no pillar 'fundng'" in response.json()["detail"]
    assert all(f"'{pillar}'" in response.json()["detail"] for pillar in PILLARS)
