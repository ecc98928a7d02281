"""What a request must pass before the app sees it, in this order:

1. its query string is at most AIGAP_MAX_QUERY_BYTES (414): nothing longer is parsed, or
   echoed back in a Link header;
2. a write is authenticated from its headers alone: a caller without a valid key is turned
   away (401/403, or 429 once its address has failed too often) before its body is read
   and before any lock is taken;
3. the whole body is read within AIGAP_BODY_TIMEOUT (408) and AIGAP_MAX_BODY_BYTES (413),
   so that a slow upload never holds a database lock or connection while it drips in; a
   JSON body with a number that is not finite is a 422 naming it;
4. the app runs under the request's deadline (AIGAP_REQUEST_TIMEOUT): database work past it
   is interrupted and answered 503, and a request still unanswered half a second after its
   deadline is answered 503 by the intake.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import anyio
import anyio.to_thread
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deadlines import request_deadline
from api.errors import (
    AppError,
    CommitInDoubt,
    ContentTooLarge,
    RequestTimeout,
    ServiceUnavailable,
    TooManyRequests,
    UriTooLong,
)
from api.services.auth import Principal
from api.settings import Settings
from api.web.failed_keys import FailedKeys
from api.web.json_body import refuse_unusable_json
from api.web.problems import problem_for

KeySessions = Callable[[], AbstractContextManager[Session]]
# The database work of a request ends at its deadline and answers 503 itself; this is how
# much longer the client waits before the intake answers for it.
CUTOFF_GRACE = 0.5
logger = logging.getLogger("aigap.intake")
_late_answers: set["asyncio.Future[None]"] = set()  # kept until sent
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ClientGone(Exception):
    """The client hung up before its body was in."""


def walk_routes(routes: Any, path: str | None = None) -> Any:
    """Every route, or only those of routers whose prefix `path` starts with."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is None:
            yield route
        elif path is None or path.startswith(nested.prefix):  # included routers stay nested
            yield from walk_routes(nested.routes, path)


def depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return dependant.call is call or any(depends_on(d, call) for d in dependant.dependencies)


class RequestIntake:
    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        authenticate: Callable[[Request, Session], Principal],
        marker: Callable[..., Any],
        failed_keys: FailedKeys,
    ) -> None:
        self.app = app
        self.settings = settings
        self.authenticate = authenticate
        self.marker = marker  # the dependency that makes a route a write
        self.failed_keys = failed_keys
        self._writes: dict[int, bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        seconds = self.settings.request_timeout  # for the request's database work
        try:
            if len(scope.get("query_string", b"")) > self.settings.max_query_bytes:
                raise UriTooLong(
                    f"the query string is longer than {self.settings.max_query_bytes} bytes",
                    errors=[{"field": "query", "reason": "too long"}],
                )
            route = None if scope["method"] in SAFE_METHODS else self._route(scope)
            if route is not None:
                if self._is_write(route):
                    started = time.monotonic()
                    await self._authenticate(request, seconds)
                    seconds -= time.monotonic() - started  # the body's time is its own
                body = await self._whole_body(receive)
                if _is_json(scope):
                    refuse_unusable_json(body)
                receive = _replay(body, receive)
        except ClientGone:
            return
        except AppError as exc:
            response = problem_for(request, exc)
            if isinstance(exc, RequestTimeout | ContentTooLarge):
                response.headers["Connection"] = "close"  # the rest of the body is not read
            await response(scope, receive, send)
            return
        await self._within_deadline(scope, receive, send, seconds)

    async def _within_deadline(
        self, scope: Scope, receive: Receive, send: Send, seconds: float
    ) -> None:
        """Run the app under the request's deadline. Its database work is cut off there;
        should anything else keep it (a wait for a pooled connection, a connect to a
        server that does not answer), the client still gets its 503 shortly after, and
        the app's own answer, when it comes, is dropped. Past its deadline the app can no
        longer commit: every statement, COMMIT included, is refused. A write whose COMMIT
        was sent but not yet answered is answered `commit-in-doubt`; one whose COMMIT was
        answered is saved, and its own answer goes out.

        A timer rather than a task of its own for the app: one per request is cheap
        enough to leave no trace in bench/http_protocol.py."""
        begun = cut_off = False

        async def guarded_send(message: Message) -> None:
            nonlocal begun
            if cut_off:
                return
            begun = begun or message["type"] == "http.response.start"
            await send(message)

        def at_deadline() -> None:
            nonlocal cut_off
            if begun:  # an answer is on its way (a long CSV, say): let it finish
                return
            if clock.committed:  # the writes are saved: only the answer is left to send
                return
            cut_off = True
            late: ServiceUnavailable = ServiceUnavailable(
                f"the request did not finish within {seconds:g} s; retry shortly",
                header_retry_after=1,
            )
            if clock.committing:
                late = CommitInDoubt()
            answer = problem_for(Request(scope), late)(scope, receive, send)
            _late_answers.add(task := asyncio.ensure_future(answer))
            task.add_done_callback(_late_answers.discard)

        with request_deadline(seconds, writes=scope["method"] not in SAFE_METHODS) as clock:
            timer = asyncio.get_running_loop().call_later(seconds + CUTOFF_GRACE, at_deadline)
            try:
                await self.app(scope, receive, guarded_send)
            except Exception:
                if not cut_off:
                    raise
                logger.warning("a request answered at its deadline failed later", exc_info=True)
            finally:
                timer.cancel()

    def _route(self, scope: Scope) -> APIRoute | None:
        for route in walk_routes(scope["app"].router.routes, get_route_path(scope)):
            if isinstance(route, APIRoute) and route.matches(scope)[0] is Match.FULL:
                return route
        return None

    def _is_write(self, route: APIRoute) -> bool:
        if id(route) not in self._writes:  # routes live as long as the app
            self._writes[id(route)] = depends_on(route.dependant, self.marker)
        return self._writes[id(route)]

    async def _authenticate(self, request: Request, seconds: float) -> None:
        address = request.client.host if request.client else "unknown"
        limit = self.settings.address_rate_limit
        if self.failed_keys.count(address) >= limit:
            raise TooManyRequests(
                f"more than {limit} requests without a valid key from {address} in "
                f"{self.settings.rate_window_seconds} s; retry in {self.failed_keys.wait()} s",
                header_retry_after=self.failed_keys.wait(),
            )
        sessions: KeySessions = request.app.state.key_sessions
        try:
            with anyio.fail_after(seconds + CUTOFF_GRACE), request_deadline(seconds, writes=False):
                principal = await anyio.to_thread.run_sync(
                    self._principal, request, sessions, abandon_on_cancel=True
                )
        except TimeoutError:
            raise ServiceUnavailable(
                f"the key could not be checked within {seconds:g} s; retry shortly"
            ) from None
        except AppError as exc:
            if exc.status == 401:
                self.failed_keys.add(address)
            raise
        except (DBAPIError, PoolTimeout) as exc:  # out here no exception handler sees it
            logger.warning("keys could not be checked: %s", exc)
            raise ServiceUnavailable("the database did not answer in time; retry shortly") from exc
        request.state.principal = principal

    def _principal(self, request: Request, sessions: KeySessions) -> Principal:
        with sessions() as session:
            return self.authenticate(request, session)

    async def _whole_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        limit = self.settings.max_body_bytes
        try:
            with anyio.fail_after(self.settings.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise ClientGone
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise ContentTooLarge(f"the request body is larger than {limit} bytes")
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            raise RequestTimeout(
                f"the request body did not arrive within {self.settings.body_timeout:g} s"
            ) from None


def _is_json(scope: Scope) -> bool:
    content_type: bytes = dict(scope["headers"]).get(b"content-type", b"")
    media_type = content_type.split(b";")[0].strip().lower()
    return media_type == b"application/json" or media_type.endswith(b"+json")


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body, already read, as one message; then the client's own messages
    (a disconnect) as they come."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
