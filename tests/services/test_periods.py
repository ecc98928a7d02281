"""Period strings to date bounds."""

from datetime import date

import pytest

from api.services.periods import period_bounds


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        ("2024-11-05", date(2024, 11, 5), date(2024, 11, 5)),
        ("2013/2023", date(2013, 1, 1), date(2023, 12, 31)),
        ("2024-01/2024-03", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_bounds(period: str, start: date, end: date) -> None:
    assert period_bounds(period) == (start, end)


@pytest.mark.parametrize("period", ["2025/2024", "2025-02-30"])
def test_impossible_periods_are_rejected(period: str) -> None:
    with pytest.raises(ValueError, match=r".+"):
        period_bounds(period)
