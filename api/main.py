"""The FastAPI application."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlmodel import Session

from api import GC_THRESHOLDS
from api.async_reads import AsyncReads
from api.db import get_engine, reading
from api.deps import request_settings
from api.observability import ObservabilityMiddleware
from api.routers import TAGS, V1_ROUTERS, dashboard, health, metrics
from api.settings import Settings, get_settings
from api.web.auth import authenticated_writer, reader, writer_from_headers
from api.web.body_limit import BodyLimitMiddleware
from api.web.conditional import NotModified, conditional_get, not_modified_handler
from api.web.data_version import close_data_version_readers, read_data_version
from api.web.docs import install_offline_docs
from api.web.failed_keys import FailedKeys
from api.web.head import HeadAsGet
from api.web.intake import RequestIntake
from api.web.openapi import install_openapi
from api.web.problems import install_error_handlers
from api.web.read_path import ReadPath
from api.web.response_cache import ResponseCache
from api.web.strict_query import reject_unknown_query_parameters

DESCRIPTION = """
The API of record for the US-China AI competition: every figure of *Measuring the US-China
AI Gap* (Insikt Group, May 2025) and later data drops, as sourced, versioned records grouped
by the report's six pillars.

* Every list takes `limit` (1-1000), `page`, `sort`, `as_of`, its filters, and answers CSV
  with `Accept: text/csv` or `format=csv`; pages carry `total` and RFC 8288 `Link` headers.
* `as_of` answers exactly as the service would have at that time; `/{key}/revisions` lists a
  record's history. Nothing is ever overwritten.
* Every GET carries an `ETag` (it changes with every write, in every server process);
  `If-None-Match` answers `304`.
* Errors are RFC 9457 `application/problem+json`, naming each failing field. Unknown query
  parameters are a `400`.
"""


_frozen = False


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Freeze what the start-up built, once per process.

    Everything imported and built by now lives as long as the process: freezing it keeps
    the collector from walking it again and again; the larger first generation set on
    import (api.GC_THRESHOLDS) makes collections rarer. Measured with wrk at 32
    connections: p99 242 ms -> 93 ms on /v1/models/lag/current, the same throughput
    (docs/benchmarks.md).
    """
    global _frozen  # once per process, not per app
    if not _frozen:  # (not gc.get_freeze_count(): it walks every frozen object, ~30 ms)
        # No full collection first: it took 0.11 s of the start-up to free ~150 objects.
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)  # the server's, whatever its host process set
        _frozen = True
    try:
        yield
    finally:
        close_data_version_readers()
        reads: AsyncReads | None = getattr(app.state, "async_reads", None)
        if reads is not None:
            await reads.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    explicit = settings is not None
    settings = settings or get_settings()
    app = FastAPI(
        title="aigap",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(reject_unknown_query_parameters)],
        lifespan=lifespan,
    )
    if explicit:  # every SettingsDep in this app answers with these settings

        async def these_settings() -> Settings:
            return settings

        app.dependency_overrides[request_settings] = these_settings
    install_error_handlers(app)
    app.add_exception_handler(NotModified, not_modified_handler)
    app.state.response_cache = ResponseCache(settings.response_cache_bytes)
    app.state.read_sessions = lambda: Session(reading(get_engine(settings)))
    # PostgreSQL's list reads are awaited on the event loop (api/async_reads.py)
    app.state.async_reads = None if settings.is_sqlite else AsyncReads(settings)
    app.state.data_version = lambda: read_data_version(settings)
    app.state.conditional_routes = set()  # ids of the routes that carry conditional_get
    if not settings.private_reads:  # else the key check must come first: routes only
        app.add_middleware(
            ReadPath,
            cache=app.state.response_cache,
            threads=settings.read_threads,
            on_loop_seconds=settings.read_on_loop_seconds if settings.is_sqlite else 0.0,
        )  # innermost
    # Keys are checked on sessions of their own, before any body is read or lock taken.
    app.state.key_sessions = lambda: Session(get_engine(settings))
    app.state.failed_keys = FailedKeys(settings.rate_window_seconds)
    app.add_middleware(
        RequestIntake,
        settings=settings,
        authenticate=writer_from_headers,
        marker=authenticated_writer,
        failed_keys=app.state.failed_keys,
    )  # inside CORS: its 401s carry CORS headers too
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["*"],
            expose_headers=["ETag", "Link", "X-Total-Count"],
        )
    app.include_router(health.router)
    app.include_router(dashboard.router)
    app.include_router(metrics.router)
    # Public reads skip the key check entirely; it would only cost every read a session.
    read_checks = [Depends(reader)] if settings.private_reads else []
    for router in V1_ROUTERS:
        app.include_router(router, dependencies=[*read_checks, Depends(conditional_get)])
        # FastAPI keeps an included router's dependencies out of its routes' own dependants
        app.state.conditional_routes |= {id(route) for route in router.routes}
    install_offline_docs(app)
    install_openapi(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ObservabilityMiddleware)  # outermost: sees every request and status
    return app


app = create_app()
