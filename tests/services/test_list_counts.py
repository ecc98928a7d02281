"""A list's total, the count of every current row its filters match, reads an index."""

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


def _plans_of_counts(session: Session, query: ListQuery) -> Iterator[str]:
    """The query plan of each count `list_records` ran for `query`."""
    connection = session.connection()
    counts: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT COUNT("):
            counts.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", remember)
    try:
        clear_count_cache()
        list_records(session, OBSERVATIONS, query)
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    assert counts, "the listing counted nothing"
    for statement, parameters in counts:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        yield " / ".join(str(row[-1]) for row in plan)


@pytest.mark.parametrize(
    "filters",
    [
        {"country": "CN"},
        {"country": "CN", "status": "actual"},
        {"country": "CN", "status": "actual", "from": date(2020, 1, 1)},
        {"country": "US", "from": date(2020, 1, 1)},
    ],
)
def test_a_broad_observation_count_reads_the_filters_index(
    session: Session, filters: dict[str, Any]
) -> None:
    for plan in _plans_of_counts(session, ListQuery(filters=filters)):
        assert "ix_observations_current_filters" in plan, plan
