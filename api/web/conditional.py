"""Conditional GET: an ETag from the data version, If-None-Match -> 304, Cache-Control.

The data version is the newest change id in the database, so every server process agrees
on it and it moves with every write. The ETag mixes it with the request (path, query,
representation), so a 304 is decided before any handler work is done.
"""

import hashlib
from typing import Annotated

from fastapi import Depends, Request, Response

from api.deps import SessionDep
from api.services.records import data_version

RECORD_DETAIL = "record_detail:"  # route-name prefix: these routes send a per-record ETag
ETAG_SCHEME = "1"  # bump when the serialization of responses changes
CACHE_CONTROL = "public, max-age=0, must-revalidate"


class NotModified(Exception):
    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


def wants_csv(request: Request) -> bool:
    if request.query_params.get("format") == "csv":
        return True
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and not accept.startswith("application/json")


def make_etag(version: int, request: Request) -> str:
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    representation = "csv" if wants_csv(request) else "json"
    digest = hashlib.sha256(
        f"{request.url.path}?{query}|{representation}|{ETAG_SCHEME}".encode()
    ).hexdigest()[:16]
    return f'"v{version}-{digest}"'


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates


def conditional_get(request: Request, response: Response, session: SessionDep) -> None:
    if request.method not in ("GET", "HEAD"):
        return
    route_name = getattr(request.scope.get("route"), "name", "")
    if route_name.startswith(RECORD_DETAIL):
        return
    version = data_version(session)
    request.state.data_version = version
    etag = make_etag(version, request)
    if etag_matches(request.headers.get("if-none-match"), etag):
        raise NotModified(etag)
    request.state.etag = etag
    response.headers.update(cache_headers(etag))


def current_data_version(request: Request, session: SessionDep) -> int:
    """The data version conditional_get already read for this request, or a fresh read."""
    version = getattr(request.state, "data_version", None)
    return version if isinstance(version, int) else data_version(session)


DataVersionDep = Annotated[int, Depends(current_data_version)]


def cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}


async def not_modified_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModified)
    return Response(status_code=304, headers=cache_headers(exc.etag))
