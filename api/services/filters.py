"""Filter parameters shared by the record kinds, so that each means the same everywhere."""

import re
from datetime import date
from enum import StrEnum

from api.models.base import Status
from api.services.records import FilterSpec, Op

CODE = r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?|WLD"
COUNTRY_LIST = rf"^(?:{CODE})(?:,(?:{CODE}))*$"
SLUG_LIST = r"^[a-z0-9][a-z0-9.\-_]*(,[a-z0-9][a-z0-9.\-_]*)*$"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def country(column: str = "country", *, joined: bool = False) -> FilterSpec:
    return FilterSpec(
        "country",
        column,
        Op.eq,
        "ISO 3166 alpha-2 code(s), comma-separated: `US`, `CN`, `US,CN`.",
        pattern=COUNTRY_LIST,
        joined=joined,
    )


def one_of(param: str, column: str, what: str, *, joined: bool = False) -> FilterSpec:
    return FilterSpec(
        param,
        column,
        Op.eq,
        f"{what}; comma-separated for several.",
        pattern=SLUG_LIST,
        joined=joined,
    )


def choice(
    param: str, column: str, what: str, values: type[StrEnum], *, joined: bool = False
) -> FilterSpec:
    """A filter on a closed vocabulary: a value outside it is a 400 that lists the values
    (api/web/problems.py shows the description for a pattern), not an empty list."""
    one = "(?:" + "|".join(re.escape(value) for value in values) + ")"
    return FilterSpec(
        param,
        column,
        Op.eq,
        f"{what}: {', '.join(f'`{value}`' for value in values)}; comma-separated for several.",
        pattern=f"^{one}(?:,{one})*$",
        joined=joined,
        choices=tuple(value.value for value in values),
    )


def text(param: str, column: str, what: str, *, joined: bool = False) -> FilterSpec:
    return FilterSpec(
        param, column, Op.eq, f"Exact {what}; comma-separated for several.", joined=joined
    )


def source() -> FilterSpec:
    return one_of("source", "source_key", "Key of the source the figure comes from")


def status() -> FilterSpec:
    return choice("status", "status", "Status of the figure", Status)


def date_range(start: str, end: str | None = None) -> tuple[FilterSpec, FilterSpec]:
    """`from`/`to` on a date, or on a period [start, end] (overlap)."""
    return (
        FilterSpec("from", end or start, Op.ge, "Earliest date (YYYY-MM-DD), inclusive.", date),
        FilterSpec("to", start, Op.le, "Latest date (YYYY-MM-DD), inclusive.", date),
    )


def month_range(column: str = "month") -> tuple[FilterSpec, FilterSpec]:
    return (
        FilterSpec("from", column, Op.ge, "First month (YYYY-MM), inclusive.", pattern=MONTH),
        FilterSpec("to", column, Op.le, "Last month (YYYY-MM), inclusive.", pattern=MONTH),
    )
