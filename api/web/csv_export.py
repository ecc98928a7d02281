"""Lists as CSV: one header row, one row per record, loads in pandas with no options."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from fastapi import Response

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class CsvResponse(Response):
    """The response class of operations that only answer CSV (documents `text/csv`)."""

    media_type = "text/csv"


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): text that does gets a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _text(str(value.value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)  # numbers stay numbers, negative ones too
    return _text(str(value))


def _text(value: str) -> str:
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    # The writer quotes a field with a newline but not one with a bare carriage return,
    # which readers then take for the end of the row.
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def csv_response(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], headers: Mapping[str, str]
) -> Response:
    return Response(to_csv(columns, rows), media_type=CSV_MEDIA_TYPE, headers=dict(headers))
