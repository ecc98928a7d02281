"""A broad list's total read off a histogram of period_end (RecordKind.count_histogram):
the same number as counting the rows, for every date, and never stale after a write."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from api.models.auth import Scope
from api.services import records
from api.services.indicators import OBSERVATIONS
from api.services.records import ListQuery, clear_count_cache, data_version, list_records
from tests.writes.helpers import bearer, observation

COUNTED = replace(OBSERVATIONS, count_histogram=None)  # the plain count, for comparison
DATES = [
    date(1990, 1, 1),
    date(2020, 6, 30),
    date(2023, 1, 1),
    date(2023, 12, 31),
    date(2024, 1, 1),
    date(2024, 12, 31),
    date(2025, 1, 1),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2100, 1, 1),
]


def _statements(session: Session, query: ListQuery, version: int) -> tuple[int, list[str]]:
    """The total `list_records` gives with the data version, and the statements it ran."""
    connection = session.connection()
    ran: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        ran.append(statement)

    event.listen(connection, "before_cursor_execute", remember)
    try:
        total = list_records(session, OBSERVATIONS, query, data_version=version).total
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    return total, ran


@pytest.mark.parametrize(
    "equal",
    [{"country": "US"}, {"country": "CN", "status": "actual"}, {"status": "projected"}],
)
def test_every_date_counts_what_a_count_of_the_rows_counts(
    session: Session, equal: dict[str, str]
) -> None:
    clear_count_cache()
    version = data_version(session)
    grouped = 0
    for day in DATES:
        query = ListQuery(filters={**equal, "from": day})
        total, ran = _statements(session, query, version)
        assert total == list_records(session, COUNTED, query).total, (equal, day)
        grouped += sum("GROUP BY" in statement for statement in ran)
    assert grouped == 1  # one histogram for all the dates


def test_several_values_or_another_range_count_the_rows(session: Session) -> None:
    clear_count_cache()
    version = data_version(session)
    for filters in (
        {"country": "US,CN", "from": date(2024, 1, 1)},
        {"country": "US", "from": date(2024, 1, 1), "to": date(2025, 1, 1)},
        {"pillar": "compute", "from": date(2024, 1, 1)},
    ):
        total, ran = _statements(session, ListQuery(filters=filters), version)
        assert not any("GROUP BY" in statement for statement in ran), filters
        assert total == list_records(session, COUNTED, ListQuery(filters=filters)).total


def test_a_histogram_of_too_many_dates_is_not_kept(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "HISTOGRAM_MAX_KEYS", 1)
    clear_count_cache()
    version = data_version(session)
    grouped = 0
    for day in DATES[:3]:
        query = ListQuery(filters={"country": "US", "from": day})
        total, ran = _statements(session, query, version)
        assert total == list_records(session, COUNTED, query).total
        grouped += sum("GROUP BY" in statement for statement in ran)
        counted = [s for s in ran if "count(" in s.lower() and "GROUP BY" not in s]
        assert len(counted) == 1  # the rows, counted
    assert grouped == 1  # asked once, found too fine, remembered as such


def test_a_write_is_in_the_next_total(client: TestClient, session: Session) -> None:
    auth = bearer(session, "curator-histogram", Scope.write)
    urls = [  # the new observation's period ends on 2026-12-31
        f"/v1/observations?country=CN&status=projected&from={day}"
        for day in ("2026-01-01", "2026-12-31", "2027-01-01")
    ]
    before = [int(client.get(url).headers["x-total-count"]) for url in urls]
    created = client.post("/v1/observations", json=observation(), headers=auth)
    assert created.status_code == 201, created.text
    after = [int(client.get(url).headers["x-total-count"]) for url in urls]
    assert after == [before[0] + 1, before[1] + 1, before[2]]
