"""CSV exports never hand a spreadsheet a live formula (OWASP "CSV Injection"): a text
cell starting with = + - @ tab or carriage return gets a leading apostrophe; numbers,
negative ones included, stay numbers."""

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.services.records import Listing, list_records
from api.web import record_routes
from api.web.csv_export import to_csv
from tests.api.routes import LIST_PATHS
from tests.writes.helpers import bearer, observation

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_each_dangerous_start_is_neutralised_and_numbers_are_not() -> None:
    rows = [{"text": formula, "number": -1.5, "whole": -3.0} for formula in FORMULAS]
    parsed = _rows(to_csv(["text", "number", "whole"], rows))
    expected = ["'" + formula.replace("\r", "\n") for formula in FORMULAS]
    assert [row["text"] for row in parsed] == expected  # and a carriage return stays inside
    assert {row["number"] for row in parsed} == {"-1.5"}
    assert {row["whole"] for row in parsed} == {"-3"}
    safe = _rows(to_csv(["text"], [{"text": "a = b"}, {"text": "2025-01"}]))
    assert [row["text"] for row in safe] == ["a = b", "2025-01"]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_neutralises_formulas_in_its_csv(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """Every text value of a real page is replaced by a formula on its way out."""
    real = list_records

    def with_formulas(*args: Any, **kwargs: Any) -> Listing:
        listing = real(*args, **kwargs)
        items = [
            {k: (FORMULAS[0] if isinstance(v, str) and k != "key" else v) for k, v in item.items()}
            for item in listing.items
        ]
        return Listing(items, listing.total)

    numbers_before = _numbers(_rows(client.get(path, params={"format": "csv"}).text))
    monkeypatch.setattr(record_routes, "list_records", with_formulas)  # what the lists call
    text = client.get(path, params={"format": "csv", "limit": 20}).text
    cells = [value for row in _rows(text) for value in row.values()]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert "'" + FORMULAS[0] in cells or not _rows(text)
    rows = _rows(client.get(path, params={"format": "csv"}).text)
    assert _numbers(rows) == numbers_before  # numbers, negative ones too, untouched


def _numbers(rows: list[dict[str, str]]) -> list[str]:
    def numeric(value: str) -> bool:
        try:
            float(value)
        except ValueError:
            return False
        return True

    return [value for row in rows for value in row.values() if numeric(value)]


def test_a_formula_written_through_the_api_comes_back_as_text(
    client: TestClient, session: Session
) -> None:
    auth = bearer(session, name="=HYPERLINK(1)")
    formula = '=HYPERLINK("http://evil.example","click")'
    response = client.post("/v1/observations", json=observation(note=formula), headers=auth)
    assert response.status_code == 201, response.text
    rows = _rows(client.get("/v1/observations", params={"format": "csv", "limit": 1000}).text)
    row = next(r for r in rows if r["key"] == "ai-accelerators-cn-2026")
    assert row["note"] == "'" + formula
    assert row["value"] == "6000000"
    changes = _rows(client.get("/v1/changes", params={"format": "csv", "limit": 1000}).text)
    assert changes[-1]["changed_by"] == "'=HYPERLINK(1)"
