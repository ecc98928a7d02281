"""The change feed: sync incrementally instead of re-reading everything."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.imports import ChangeFeed
from api.services.changes import changes_since
from api.web.conditional import cache_headers, wants_csv
from api.web.csv_export import csv_response
from api.web.record_routes import Format

CSV_COLUMNS = ["id", "kind", "key", "revision", "operation", "changed_at", "changed_by"]

router = APIRouter(prefix="/v1/changes", tags=["changes"])


@router.get(
    "",
    summary="Every write, in order, after a cursor",
    description="Start with `since=0`; pass each answer's `next_cursor` as the next `since`. "
    "Each write (record kind, key, revision, operation, time, key name) appears exactly once.",
    operation_id="list_changes",
    response_model=ChangeFeed,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The feed (JSON), or CSV with columns "
            + ", ".join(CSV_COLUMNS)
            + "; the next cursor is in X-Next-Cursor.",
        },
        304: {"description": "Not modified since the ETag in If-None-Match."},
        400: ERROR_RESPONSES[400],
        503: ERROR_RESPONSES[503],
    },
)
def list_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    since: Annotated[
        int, Query(ge=0, le=2**31 - 1, description="Cursor: the last change id already seen.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Writes per answer (1-1000).")] = 100,
    kind: Annotated[
        str | None,
        Query(
            description="Only these record kinds, comma-separated (e.g. arena_scores).",
            pattern=r"^[a-z_]+(,[a-z_]+)*$",
        ),
    ] = None,
    format: Format = None,
) -> Any:
    kinds = kind.split(",") if kind else None
    feed = changes_since(session, since=since, limit=limit, kinds=kinds)
    headers = {"X-Next-Cursor": feed.next_cursor}
    if feed.has_more:
        next_page = request.url.include_query_params(since=feed.next_cursor)
        headers["Link"] = f'<{next_page}>; rel="next"'
    if wants_csv(request) or format == "csv":
        etag = getattr(request.state, "etag", None)
        rows = [item.model_dump() for item in feed.items]
        return csv_response(CSV_COLUMNS, rows, {**headers, **(cache_headers(etag) if etag else {})})
    response.headers.update(headers)
    return feed
