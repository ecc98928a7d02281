"""Observation lists filtered by country: the total counts an index alone (by status and
date, only the entries that match), and the page is read in the index's order (no sort of
every match)."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from api.services.indicators import OBSERVATIONS
from api.services.records import ListQuery, clear_count_cache, list_records
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(
    BACKEND != "sqlite",
    reason="SQLite's plan is fixed; PostgreSQL's follows its table statistics",
)
FILTERS: list[dict[str, Any]] = [
    {"country": "CN"},
    {"country": "CN", "status": "actual"},
    {"country": "CN", "status": "actual", "from": date(2020, 1, 1)},
    {"country": "US", "from": date(2020, 1, 1)},
]


def _plans(session: Session, query: ListQuery) -> Iterator[tuple[str, str]]:
    """Each statement `list_records` ran for `query`, and its query plan."""
    connection = session.connection()
    statements: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", remember)
    try:
        clear_count_cache()
        list_records(session, OBSERVATIONS, query)
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    for statement, parameters in statements:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        yield statement, " / ".join(str(row[-1]) for row in plan)


def _counts_and_pages(session: Session, filters: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The plans of the counts and of the pages `list_records` ran for `filters`."""
    counts, pages = [], []
    for statement, plan in _plans(session, ListQuery(filters=filters)):
        if statement.lstrip().upper().startswith("SELECT COUNT("):
            counts.append(plan)
        elif "LIMIT" in statement.upper():
            pages.append(plan)
    assert counts
    assert pages
    return counts, pages


@pytest.mark.parametrize("filters", FILTERS)
def test_the_total_counts_an_index_alone(session: Session, filters: dict[str, Any]) -> None:
    counts, _pages = _counts_and_pages(session, filters)
    for plan in counts:
        assert "COVERING INDEX ix_observations_current_co" in plan, plan  # country or count


def test_a_total_by_country_status_and_date_reads_only_the_matching_entries(
    session: Session,
) -> None:
    counts, _pages = _counts_and_pages(session, FILTERS[2])
    for plan in counts:
        assert "COVERING INDEX ix_observations_current_count" in plan, plan
        assert "country=? AND status=? AND period_end>?" in plan, plan


@pytest.mark.parametrize("filters", FILTERS)
def test_the_page_is_read_in_the_country_index_order(
    session: Session, filters: dict[str, Any]
) -> None:
    _counts, pages = _counts_and_pages(session, filters)
    for plan in pages:
        assert "ix_observations_current_country" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
