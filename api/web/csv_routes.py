"""A `.csv` twin beside a JSON operation: the same parameters and answer, as CSV.

Typed clients see one JSON answer per operation; the CSV is documented on its twin. The
JSON operation still answers CSV for `format=csv` or `Accept: text/csv` (see
api.web.strict_query.negotiates_csv), and a path ending in `.csv` always does.
"""

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter

from api.errors import ERROR_RESPONSES
from api.web.csv_export import CsvResponse


def add_csv_twin(
    router: APIRouter,
    path: str,
    endpoint: Callable[..., Any],
    *,
    operation_id: str,
    summary: str,
    columns: Sequence[str],
    rows: str,
    columns_doc: str | None = None,
    headers: dict[str, Any] | None = None,
    errors: dict[int | str, dict[str, Any]] | None = None,
) -> None:
    """Register `{path}.csv` on `endpoint`, which answers CSV when its path ends in `.csv`."""
    listed = columns_doc or "Columns: " + ", ".join(f"`{c}`" for c in columns) + "."
    router.add_api_route(
        path + ".csv",
        endpoint,
        methods=["GET"],
        response_class=CsvResponse,
        response_model=str,
        summary=summary,
        description=f"The answer of `{router.prefix}{path}` as CSV, one row per {rows} (the "
        "same as `Accept: text/csv` there); loads in pandas and spreadsheets with no "
        "options. " + listed,
        operation_id=operation_id,
        responses={
            200: {
                "description": f"One row per {rows}.",
                **({"headers": headers} if headers else {}),
            },
            **(errors or {400: ERROR_RESPONSES[400], 503: ERROR_RESPONSES[503]}),
        },
    )
