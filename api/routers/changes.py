"""The change feed: sync incrementally instead of re-reading everything."""

from typing import Annotated, Any

from fastapi import Query, Request, Response

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.imports import ChangeFeed
from api.services.changes import changes_since
from api.web.conditional import cache_headers, wants_csv
from api.web.csv_export import csv_response
from api.web.csv_routes import add_csv_twin
from api.web.router import Router
from api.web.strict_query import negotiates_csv

CSV_COLUMNS = ["id", "kind", "key", "revision", "operation", "changed_at", "changed_by"]

router = Router(prefix="/v1/changes", tags=["changes"])


SINCE = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="Cursor: the last change id already seen.")
]
LIMIT = Annotated[int, Query(ge=1, le=1000, description="Writes per answer (1-1000).")]
KIND = Annotated[
    str | None,
    Query(
        description="Only these record kinds, comma-separated (e.g. arena_scores); an "
        "unknown kind is a 400 listing them.",
        pattern=r"^[a-z_]+(,[a-z_]+)*$",
    ),
]
FEED_HEADERS: dict[str, Any] = {
    "X-Next-Cursor": {"description": "Pass as `since` next.", "schema": {"type": "string"}},
    "Link": {"description": "rel=next when more writes follow.", "schema": {"type": "string"}},
    "ETag": {"schema": {"type": "string"}},
}
ERRORS: dict[int | str, dict[str, Any]] = {400: ERROR_RESPONSES[400], 503: ERROR_RESPONSES[503]}


def _feed(
    request: Request, session: SessionDep, since: int, limit: int, kind: str | None
) -> tuple[ChangeFeed, dict[str, str]]:
    kinds = kind.split(",") if kind else None
    feed = changes_since(session, since=since, limit=limit, kinds=kinds)
    headers = {"X-Next-Cursor": feed.next_cursor}
    if feed.has_more:
        next_page = request.url.include_query_params(since=feed.next_cursor)
        headers["Link"] = f'<{next_page}>; rel="next"'
    return feed, headers


def _as_csv(request: Request, feed: ChangeFeed, headers: dict[str, str]) -> Response:
    etag = getattr(request.state, "etag", None)
    rows = [item.model_dump() for item in feed.items]
    return csv_response(CSV_COLUMNS, rows, {**headers, **(cache_headers(etag) if etag else {})})


@router.get(
    "",
    summary="Every write, in order, after a cursor",
    description="Start with `since=0`; pass each answer's `next_cursor` as the next `since`. "
    "Each write (record kind, key, revision, operation, time, key name) appears exactly once. "
    "As CSV: `/v1/changes.csv`, `Accept: text/csv` or `format=csv`.",
    operation_id="list_changes",
    response_model=ChangeFeed,
    responses={200: {"description": "The feed.", "headers": FEED_HEADERS}, **ERRORS},
)
@negotiates_csv
def list_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    since: SINCE = 0,
    limit: LIMIT = 100,
    kind: KIND = None,
) -> Any:
    feed, headers = _feed(request, session, since, limit, kind)
    if wants_csv(request):
        return _as_csv(request, feed, headers)
    response.headers.update(headers)
    return feed


add_csv_twin(
    router,
    "",
    list_changes,
    operation_id="list_changes_csv",
    summary="Every write, in order, after a cursor, as CSV",
    columns=CSV_COLUMNS,
    rows="write (the next cursor is in X-Next-Cursor)",
    headers=FEED_HEADERS,
)
