"""FastAPI runs a plain-function dependency in a worker thread: a hop per request. Only
dependencies that wait on the database may be plain functions; the rest (settings, the
presented key, the writer once the intake has authenticated it) are coroutines."""

from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import _is_async_gen_callable, _is_coroutine_callable
from fastapi.routing import APIRoute

from api.routers.charts import arena_chart_input, lag_chart_input
from api.web.auth import write_session
from tests.api.routes import ROUTES

# Each reads or writes through the request's session.
WAIT_ON_THE_DATABASE = {write_session, arena_chart_input, lag_chart_input}


def _in_threads(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        call = sub.call
        if not (_is_coroutine_callable(call) or _is_async_gen_callable(call)):
            yield call
        yield from _in_threads(sub)


def test_only_database_work_is_handed_to_a_thread() -> None:
    routes = [route for route in ROUTES if isinstance(route, APIRoute)]
    assert len(routes) > 150
    handed = {call for route in routes for call in _in_threads(route.dependant)}
    assert handed <= WAIT_ON_THE_DATABASE, handed - WAIT_ON_THE_DATABASE
    assert write_session in handed
