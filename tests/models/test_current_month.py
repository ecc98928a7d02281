"""The current UTC month, which bounds every Arena score, worked out once an hour."""

from datetime import UTC, datetime

from api.models.base import _month_of_hour, current_month


def test_the_current_month_is_the_utc_month() -> None:
    before = datetime.now(UTC).strftime("%Y-%m")
    month = current_month()
    after = datetime.now(UTC).strftime("%Y-%m")
    assert month in {before, after}


def test_a_month_begins_on_its_first_hour() -> None:
    for year, month in [(2027, 1), (2028, 3), (2026, 12)]:
        first = datetime(year, month, 1, tzinfo=UTC)
        hour = int(first.timestamp()) // 3600
        assert _month_of_hour(hour) == f"{year}-{month:02d}"
        assert _month_of_hour(hour - 1) != f"{year}-{month:02d}"
        assert _month_of_hour(hour - 1) < _month_of_hour(hour)
