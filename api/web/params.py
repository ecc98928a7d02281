"""Query parameter types that accept exactly what the OpenAPI document says.

Pydantic's lax mode reads `0` or `1700000000` as a date or time (a Unix timestamp); the
document says ISO 8601, so these types refuse anything else with a clear reason.
"""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator

from api.services.filters import MONTH

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("use an ISO 8601 date, YYYY-MM-DD")
    return value


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, str) and not ISO_DATETIME.match(value):
        raise ValueError("use an ISO 8601 date and time, e.g. 2025-06-01T00:00:00Z")
    return value


def _utc_unless_told(value: datetime) -> datetime:
    """A time without an offset is read as UTC (as documented), so that it compares with
    the stored, offset-aware times."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime), AfterValidator(_utc_unless_told)]

# The lag's own parameters, shared by /v1/models/lag and its charts.
Tolerance = Annotated[
    float,
    Query(
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="Elo points a US score may fall short and still match.",
    ),
]
FromMonth = Annotated[
    str | None, Query(alias="from", pattern=MONTH, description="First month (YYYY-MM).")
]
ToMonth = Annotated[
    str | None, Query(alias="to", pattern=MONTH, description="Last month (YYYY-MM).")
]
