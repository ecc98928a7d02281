"""The read path: a GET whose answer depends only on the data version is answered here,
before FastAPI routes it, whenever that can be done without the route's own machinery.

For every route that carries conditional_get (lists, computed figures, charts):
1. the ETag is made from the data version (known without a query, api/web/data_version.py)
   and the request; If-None-Match -> 304;
2. an answer this process already built for that ETag is sent again (the response cache);
3. a record list with a well-formed query is answered by its ListedKind directly: the
   route's own parameter fields validate the query, then the page is read and its JSON
   written - on SQLite on the event loop itself, within a budget (below); on PostgreSQL
   with its statements awaited on the event loop (api/async_reads.py); else in one trip
   to a worker thread. Anything else about a list request (an unknown or repeated
   parameter, a bad value, CSV, from and to together) goes to the route, which answers it
   as it always has;
4. everything else runs the app, and its 200 answer is remembered for its ETag.

Measured in docs/benchmarks.md (issue 17): routing, dependency resolution and three thread
hand-offs were about half the CPU time of an uncached one-series page.

Why SQLite reads on the loop: sqlite3 hands the GIL back around every row it steps, so a
reading thread and the event loop pass it to and fro between two CPUs; at 32 connections an
uncached one-series page cost 3.1 ms of CPU that way, 1.3 ms read on the loop. A read that
would hold the loop up is handed to a thread instead: a statement still running after
AIGAP_READ_ON_LOOP_SECONDS is interrupted, and a file locked by a writer is not waited for
on the loop (api.deadlines.on_the_loop). PostgreSQL's reads wait on the network: the loop
awaits them.
"""

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from cachetools import LRUCache
from fastapi._compat import ModelField, field_annotation_is_sequence
from fastapi.routing import APIRoute
from pydantic import Json
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.async_reads import AsyncReads
from api.concurrency import PerLoopLimiter
from api.deadlines import on_the_loop
from api.errors import AppError
from api.web.conditional import (
    RECORD_DETAIL,
    cache_headers,
    conditional_get,
    etag_matches,
    make_etag,
    wants_csv,
)
from api.web.intake import depends_on, walk_routes
from api.web.problems import problem_for
from api.web.record_routes import ListedKind
from api.web.response_cache import CachedAnswer, ResponseCache

ReadSessions = Callable[[], AbstractContextManager[Session]]
DataVersionSource = Callable[[], Awaitable[int]]
PATHS_REMEMBERED = 4096


@dataclass(frozen=True)
class Target:
    route: APIRoute
    listed: ListedKind | None  # a record list this path answers itself
    accepted: frozenset[str]
    fields: tuple[ModelField, ...]  # the route's query parameters


def _validated(target: Target, params: QueryParams) -> dict[str, Any] | None:
    """The query's values as FastAPI would give them to the route (request_params_to_args
    for scalar query parameters), or None if any is missing or wrong."""
    values: dict[str, Any] = {}
    for field in target.fields:
        alias = field.alias
        raw = params.get(alias)
        if raw is None:
            if field.field_info.is_required():
                return None
            values[field.name] = field.default
            continue
        value, errors = field.validate(raw, values, loc=("query", alias))
        if errors:
            return None
        values[field.name] = value
    return values


class ReadPath:
    """Innermost middleware. `app.state.read_sessions` opens the session a list is read in
    and `app.state.data_version` gives the data version (tests answer both from the test's
    transaction)."""

    def __init__(
        self, app: ASGIApp, cache: ResponseCache, threads: int, on_loop_seconds: float = 0.0
    ) -> None:
        self.app = app
        self.cache = cache
        self.on_loop_seconds = on_loop_seconds
        # Threads of its own, at most as many as the pool has connections (on SQLite at
        # most one per CPU, Settings.read_threads): anyio's 40 only queue for connections
        # (on SQLite opening and closing overflow ones) and, on two cores, thrash the
        # scheduler. Not the default limiter: a write's dependencies each take
        # one of its threads while waiting for the write lock, and capping those deadlocks.
        self._threads = PerLoopLimiter(threads)
        self._targets: LRUCache[str, Target | None] = LRUCache(maxsize=PATHS_REMEMBERED)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        target = self._target(scope)
        if target is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = target.route  # metrics and the access log name it, whoever answers
        request = Request(scope)
        try:
            version = await request.app.state.data_version()
        except AppError as exc:
            await problem_for(request, exc)(scope, receive, send)
            return
        except Exception:
            await self.app(scope, receive, send)
            return
        etag = make_etag(version, request)
        if etag_matches(request.headers.get("if-none-match"), etag):
            await Response(status_code=304, headers=cache_headers(etag))(scope, receive, send)
            return
        key = self.cache.key(request, etag) if self.cache.max_bytes else None
        answer = self.cache.get(key) if key is not None else None
        if answer is None and target.listed is not None:
            answer = await self._list(request, target, target.listed, version, etag)
            if answer is not None and answer.status == 200 and key is not None:
                self.cache.put(key, answer)
        if answer is not None:
            await _send(answer, send)
            return
        await self._remembered(scope, receive, send, key, etag)

    def _target(self, scope: Scope) -> Target | None:
        path: str = scope["path"]
        if path in self._targets:
            return self._targets[path]
        target = None
        for route in walk_routes(scope["app"].router.routes):
            match, child = route.matches(scope)
            if match is Match.FULL:
                conditional: set[int] = scope["app"].state.conditional_routes
                target = _target_of(
                    route, conditional, has_path_params=bool(child.get("path_params"))
                )
                break
        self._targets[path] = target
        return target

    async def _list(
        self, request: Request, target: Target, listed: ListedKind, version: int, etag: str
    ) -> CachedAnswer | None:
        """The page, or None when the query is one for the route to judge."""
        params = request.query_params
        items = params.multi_items()
        if (
            len(items) != len(params)  # a repeated parameter
            or not params.keys() <= target.accepted
            or ("from" in params and "to" in params)
            or wants_csv(request)
            or any("\x00" in name or "\x00" in value for name, value in items)
        ):
            return None
        values = _validated(target, params)
        if values is None:
            return None
        sessions: ReadSessions = request.app.state.read_sessions

        def read() -> Response:
            with sessions() as session:
                return listed.json(session, request, values, version, etag)

        try:
            response = self._on_the_loop(read)
            if response is None:
                reads: AsyncReads | None = getattr(request.app.state, "async_reads", None)
                if reads is not None:
                    response = await self._awaited(
                        reads, lambda session: listed.json(session, request, values, version, etag)
                    )
            if response is None:
                response = await anyio.to_thread.run_sync(read, limiter=self._threads())
        except Exception as exc:
            handled = await _handled(request, exc)
            if handled is None:
                return None
            response = handled
        return CachedAnswer(list(response.raw_headers), bytes(response.body), response.status_code)

    def _on_the_loop(self, read: Callable[[], Response]) -> Response | None:
        """The page read right here, if that takes no longer than the loop's budget and
        waits for no lock; else None, and a thread reads it again (a read changes nothing:
        a database error is the thread's to meet and answer)."""
        if not self.on_loop_seconds:
            return None
        with on_the_loop(self.on_loop_seconds):
            try:
                return read()
            except DBAPIError:
                return None

    async def _awaited(
        self, reads: AsyncReads, read: Callable[[Session], Response]
    ) -> Response | None:
        """The page read with its statements awaited on the event loop (PostgreSQL), as many
        at once as the threads would be. None if a pooled connection turned out to be dead
        (the server restarted): a thread reads it again on a connection of its own pool."""
        async with self._threads():
            try:
                return await reads.run(read)
            except DBAPIError as exc:
                if reads.stale_connection(exc):
                    return None
                raise

    async def _remembered(
        self, scope: Scope, receive: Receive, send: Send, key: Any, etag: str
    ) -> None:
        """Runs the app; keeps its complete 200 answer if it carries this ETag."""
        if key is None:
            await self.app(scope, receive, send)
            return
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        limit = self.cache.max_entry_bytes

        async def remembering_send(message: Message) -> None:
            nonlocal status, headers, size
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body" and status == 200:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size <= limit:
                    chunks.append(chunk)
                if not message.get("more_body", False) and size <= limit:
                    if (b"etag", etag.encode()) in headers:
                        self.cache.put(key, CachedAnswer(headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, remembering_send)


def _target_of(route: Any, conditional: set[int], *, has_path_params: bool) -> Target | None:
    if not isinstance(route, APIRoute):
        return None
    if id(route) not in conditional and not depends_on(route.dependant, conditional_get):
        return None
    if route.name.startswith(RECORD_DETAIL):
        return None  # its ETag names the record's revision, not the data version
    fields = tuple(route.dependant.query_params)
    listed = getattr(route.endpoint, "listed", None)
    if has_path_params or not all(_scalar(field) for field in fields):
        listed = None
    return Target(route, listed, frozenset(field.alias for field in fields), fields)


def _scalar(field: ModelField) -> bool:
    annotation = field.field_info.annotation
    return not field_annotation_is_sequence(annotation) and not any(
        type(item) is Json for item in field.field_info.metadata
    )


async def _handled(request: Request, exc: Exception) -> Response | None:
    """The response the app's exception handlers give `exc`, as if the route had raised it."""
    if isinstance(exc, AppError):
        return problem_for(request, exc)
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls in handlers:
            result = await handlers[cls](request, exc)
            return result if isinstance(result, Response) else None
    return None


async def _send(answer: CachedAnswer, send: Send) -> None:
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})
