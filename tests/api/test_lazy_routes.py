"""A server starts fast: routes are built when first asked for (exactly as FastAPI would
build them), our models' schemas when first used, and what a request does not need is not
imported."""

import json
import subprocess
import sys
from typing import Any

import pytest
from fastapi.routing import APIRoute

from api import PROJECT_ROOT
from api.web.lazy_route import LazyAPIRoute

# Run in a fresh interpreter: in the suite's own process other tests have built the routes.
FRESH_PROCESS = """
import json, sys
from fastapi.testclient import TestClient
from pydantic import BaseModel
from api.main import create_app
from api.settings import Settings
from api.web.intake import walk_routes
from tests.asgi_client import InProcessClient

def our_models():
    seen, todo = set(), [BaseModel]
    while todo:
        new = [sub for sub in todo.pop().__subclasses__() if sub not in seen]
        seen.update(new)
        todo.extend(new)
    return [model for model in seen if model.__module__.startswith("api.")]

app = create_app(Settings(database_url=sys.argv[1]))
models = {model.__name__: model.__pydantic_complete__ for model in our_models()}
routes = [r for r in walk_routes(app.router.routes) if hasattr(r, "_unbuilt")]
before = [r.path for r in routes if r._unbuilt is not None]
probed = [getattr(r, "original_router", None) for r in routes]
with InProcessClient(app) as client:
    status = client.get("/v1/observations?country=US&limit=5").status_code
built = [r.path for r in routes if r._unbuilt is None]
heavy = [name for name in ("alembic", "psycopg") if name in sys.modules]
print(json.dumps({"routes": len(routes), "unbuilt_at_start": len(before), "probed": probed,
                  "status": status, "built": built, "heavy": heavy, "models": models}))
"""


def test_a_request_builds_its_own_route_and_no_other(database_url: str) -> None:
    done = subprocess.run(  # `-c` in the project's root: this tree's api
        [sys.executable, "-c", FRESH_PROCESS, database_url],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["routes"] > 100
    assert report["unbuilt_at_start"] == report["routes"]
    assert report["probed"] == [None] * report["routes"]  # a getattr probe builds nothing
    assert report["status"] == 200
    assert report["built"] == ["/v1/observations"]
    # Schemas wait for their first use too, but request bodies (FastAPI builds a body's
    # adapter under a warning filter of its own, so it must find the model built).
    models = report["models"]
    deferred = sorted(name for name, built in models.items() if not built)
    assert len(models) > 100
    assert len(deferred) > 80
    assert {"Observation", "ObservationPublic", "LagSeries", "FundingTotals", "Problem"} <= set(
        deferred
    )
    assert not [name for name in deferred if name.endswith("Create")]
    # imported only where needed: alembic for readiness, psycopg for PostgreSQL
    assert report["heavy"] == ([] if database_url.startswith("sqlite") else ["psycopg"])


def _endpoint(key: str, limit: int = 10, country: str | None = None) -> dict[str, Any]:
    """Lists things."""
    return {"key": key, "limit": limit, "country": country}


def test_a_lazy_route_is_built_as_an_eager_one() -> None:
    options: dict[str, Any] = {
        "methods": ["get"],
        "summary": "List things",
        "responses": {404: {"description": "Not found"}},
        "tags": ["things"],
    }
    lazy = LazyAPIRoute("/v1/things/{key}", _endpoint, **options)
    eager = APIRoute("/v1/things/{key}", _endpoint, **options)
    # what matching needs is there before the build
    assert lazy.__dict__["_unbuilt"] is not None
    assert (lazy.methods, lazy.name, lazy.path_format) == ({"GET"}, "_endpoint", "/v1/things/{key}")
    assert lazy.path_regex.pattern == eager.path_regex.pattern
    # the first read of anything else builds it
    assert [p.name for p in lazy.dependant.query_params] == ["limit", "country"]
    assert lazy.__dict__["_unbuilt"] is None
    for name in ("unique_id", "description", "status_code", "response_model", "responses", "tags"):
        assert getattr(lazy, name) == getattr(eager, name), name
    assert lazy.dependant.path_params[0].name == eager.dependant.path_params[0].name == "key"


def test_a_route_that_cannot_be_built_says_so_every_time() -> None:
    def broken(key: list[int]) -> None:  # a path parameter must be a scalar
        """Broken."""

    route = LazyAPIRoute("/broken/{key}", broken)
    for _ in range(2):  # FastAPI's own refusal, again on the next read
        with pytest.raises(AssertionError, match="Path params"):
            _ = route.dependant
