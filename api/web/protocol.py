"""The HTTP/1.1 protocol `aigap serve` runs: uvicorn's httptools protocol (llhttp, in C) with
a bounded, timed request head.

Plain httptools accepts a request head of any size, waits for it for ever, and refuses a
malformed request with a `text/plain` 400. This class keeps the bytes of a head that has
not ended yet and refuses it once they pass `AIGAP_MAX_HEADER_BYTES` (414 when the request
line alone is longer, else 431), without reading on; it puts a deadline on the head
(`AIGAP_HEADER_TIMEOUT`: 408), and answers whatever it refuses as a problem (400 when
malformed). It replaced a subclass of uvicorn's h11 protocol with the same limits: h11, a
pure-Python parser, cost about half a millisecond of each request. What the limits cost is
measured in bench/http_protocol.py.
"""

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import PROBLEM_BASE, PROBLEM_JSON
from api.settings import get_settings

REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
}
HEAD_END = b"\r\n\r\n"


def problem_bytes(status: int, slug: str, title: str, detail: str) -> bytes:
    """A complete HTTP/1.1 problem response that closes the connection."""
    body = json.dumps(
        {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {REASONS[status]}\r\n"
        f"content-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """Between requests the connection is "in a head": from the connection's start, and
    from the end of each request until the next one's headers are complete. Only then are
    the bytes kept and counted, and the head's deadline runs.

    One timer per connection, not one per request: a request only notes when the wait for
    its head began, and the timer, when it fires, sleeps again for whatever that wait has
    left (arming and cancelling a timer for each request cost a fifth of the throughput of
    an answer from the response cache)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout = settings.header_timeout
        self.max_head = settings.max_header_bytes
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_since: float | None = None  # when the wait for the current head began
        self._in_head = True
        self._head = b""  # what has come of the head so far
        self._answered = False
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            if not self._head and self._head_since is None:
                self._wait_for_head()  # a head begins on a kept-alive connection
            self._head += data
            end = self._head.find(HEAD_END, 0, self.max_head + len(HEAD_END))
            if end == -1 and len(self._head) > self.max_head:
                self._refuse_oversized(self._head)
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False  # the head is in: the app takes over
        self._head = b""
        self._head_since = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True  # what comes next is the next request's head

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._answered = True
        if not self.transport.is_closing():
            self._wait_for_head()  # the next request's head, once it starts, is bounded

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's own words)
        self._refuse(400, "malformed-request", "Bad request", "not a valid HTTP/1.1 request")

    def _refuse_oversized(self, head: bytes) -> None:
        if head.find(b"\r\n", 0, self.max_head) == -1:
            self._refuse(
                414,
                "uri-too-long",
                "URI too long",
                f"the request line is longer than {self.max_head} bytes",
            )
        else:
            self._refuse(
                431,
                "header-fields-too-large",
                "Request header fields too large",
                f"the request line and headers are longer than {self.max_head} bytes",
            )

    def _wait_for_head(self) -> None:
        self._head_since = self.loop.time()
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_deadline)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_deadline(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._in_head or self._head_since is None:
            return
        left = self._head_since + self.header_timeout - self.loop.time()
        if left > 0:  # this wait began after the timer was set
            self._head_timer = self.loop.call_later(left, self._head_deadline)
        elif self._head:  # a head had begun
            self._refuse(
                408,
                "request-timeout",
                "Request timeout",
                f"the request line and headers did not arrive within {self.header_timeout:g} s",
            )
        elif not self._answered:
            self.transport.close()  # a connection that never said anything: nothing to answer
        else:
            # a kept-alive connection waiting for its next request: uvicorn closes it after
            # AIGAP_KEEP_ALIVE_TIMEOUT, which may be longer than the head's timeout; a head
            # that begins later starts its own wait
            self._head_since = None

    def _refuse(self, status: int, slug: str, title: str, detail: str) -> None:
        self._refused = True
        self._head = b""
        self._stop_head_timer()
        self._unset_keepalive_if_required()
        if not self.transport.is_closing():
            self.transport.write(problem_bytes(status, slug, title, detail))
            self.transport.close()
