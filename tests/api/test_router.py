"""A path outside a router's prefix is turned away before its routes are tried, and every
request still reaches the route it reached when every route was tried."""

import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Match

from api.main import create_app
from api.routers import V1_ROUTERS
from api.settings import Settings
from api.web.intake import walk_routes
from api.web.router import Router
from tests.asgi_client import InProcessClient


def _scope(app: FastAPI, path: str, method: str) -> dict[str, Any]:
    return {"type": "http", "app": app, "path": path, "root_path": "", "method": method}


def _first_match(routes: Any, scope: dict[str, Any]) -> APIRoute | None:
    for route in routes:
        if isinstance(route, APIRoute) and route.matches(scope)[0] is Match.FULL:
            return route
    return None


def _paths(app: FastAPI) -> list[tuple[str, str]]:
    """Every route's path with its parameters filled, and near misses of each."""
    found = []
    for route in walk_routes(app.router.routes):
        if not isinstance(route, APIRoute):
            continue
        path = re.sub(r"{[^}]+}", "x", route.path)
        for method in route.methods or ():
            found += [(path, method), (path + "/", method), (path + "x", method)]
            found.append((path.replace("/v1/", "/v2/"), method))
    return found


def test_the_pruned_walk_finds_the_route_the_full_walk_finds(tmp_path: Any) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    paths = _paths(app)
    assert len(paths) > 600
    for path, method in paths:
        scope = _scope(app, path, method)
        every = _first_match(walk_routes(app.router.routes), scope)
        pruned = _first_match(walk_routes(app.router.routes, path), scope)
        assert pruned is every, (method, path)


def test_a_router_turns_away_a_path_outside_its_prefix() -> None:
    router = Router(prefix="/v1/things")

    @router.get("/{key}")
    def thing(key: str) -> dict[str, str]:
        return {"key": key}

    app = FastAPI()
    app.include_router(router)
    tried: list[str] = []
    route = router.routes[0]
    original = route.matches

    def counting(scope: Any) -> Any:
        tried.append(scope["path"])
        return original(scope)

    route.matches = counting  # type: ignore[method-assign]
    with InProcessClient(app) as client:
        assert client.get("/v1/things/a").json() == {"key": "a"}
        assert tried  # tried inside its prefix
        tried.clear()
        assert client.get("/v1/other/a").status_code == 404
        assert tried == []  # never tried outside it


def test_every_v1_router_has_a_prefix_its_routes_share() -> None:
    for router in V1_ROUTERS:
        assert isinstance(router, Router)
        assert router.prefix.startswith("/v1/")
        for route in router.routes:
            assert getattr(route, "path", "").startswith(router.prefix)
