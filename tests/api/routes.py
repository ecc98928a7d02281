"""The app's routes, for tests that walk every endpoint."""

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute

from api.main import create_app
from api.settings import Settings

APP = create_app(Settings(database_url="sqlite:///:memory:"))


def _walk(routes: Iterable[Any]) -> Iterator[APIRoute]:
    # FastAPI keeps included routers as wrappers; their original routes carry the paths.
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes)


ROUTES = list(_walk(APP.routes))
LIST_PATHS = sorted(
    r.path
    for r in ROUTES
    if r.path.startswith("/v1")
    and "{" not in r.path
    and r.operation_id
    and r.operation_id.startswith("list_")
    and r.path != "/v1/changes"  # a cursor feed, not a page of records (own tests)
    and getattr(r.response_model, "__name__", "").startswith("Page")
)
