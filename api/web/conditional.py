"""Conditional GET: an ETag from the data version, If-None-Match -> 304, Cache-Control.

The data version is the newest change id in the database, so every server process agrees
on it and it moves with every write. The ETag mixes it with the request (path, query,
representation), so a 304 is decided before any handler work is done: by the read path
(api/web/read_path.py) before routing, else here.
"""

import hashlib

from fastapi import Request, Response

from api.web.data_version import DataVersionDep

RECORD_DETAIL = "record_detail:"  # route-name prefix: these routes send a per-record ETag
ETAG_SCHEME = "2"  # bump when the serialization of responses changes
CACHE_CONTROL = "public, max-age=0, must-revalidate"


class NotModified(Exception):
    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


def wants_csv(request: Request) -> bool:
    if request.url.path.endswith(".csv") or request.query_params.get("format") == "csv":
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


async def conditional_get(request: Request, response: Response, version: DataVersionDep) -> None:
    if request.method not in ("GET", "HEAD"):
        return
    route_name = getattr(request.scope.get("route"), "name", "")
    if route_name.startswith(RECORD_DETAIL):
        return
    etag = make_etag(version, request)
    if etag_matches(request.headers.get("if-none-match"), etag):
        raise NotModified(etag)
    request.state.etag = etag
    response.headers.update(cache_headers(etag))


def cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}


async def not_modified_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModified)
    return Response(status_code=304, headers=cache_headers(exc.etag))
