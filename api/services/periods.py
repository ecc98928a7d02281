"""Periods as the sources write them ("2023", "2024-11", "2013/2023") and the days they cover."""

import calendar
from datetime import date


def _start(part: str) -> date:
    pieces = [int(p) for p in part.split("-")]
    year, month, day = [*pieces, 1, 1][:3]
    return date(year, month, day)


def _end(part: str) -> date:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 1:
        return date(pieces[0], 12, 31)
    if len(pieces) == 2:
        year, month = pieces
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(pieces[0], pieces[1], pieces[2])


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period; raises ValueError for an impossible date or order."""
    first, _, last = period.partition("/")
    start, end = _start(first), _end(last or first)
    if end < start:
        raise ValueError(f"period {period!r} ends before it starts")
    return start, end
