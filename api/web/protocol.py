"""The HTTP/1.1 protocol `aigap serve` runs: uvicorn's h11 protocol with bounded request heads.

uvicorn's default parser (httptools) accepts a request head of any size, waits for it for
ever, and refuses a malformed request with a `text/plain` 400. h11 bounds the head
(`AIGAP_MAX_HEADER_BYTES`, passed to uvicorn as h11_max_incomplete_event_size); this
class adds a deadline on it (`AIGAP_HEADER_TIMEOUT`) and answers whatever it refuses as a
problem: 400 (malformed), 414 (a request line longer than the whole limit), 431 (headers
too large), 408 (too slow). What this costs is measured in bench/http_protocol.py.
"""

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.errors import PROBLEM_BASE, PROBLEM_JSON
from api.settings import get_settings

REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
}


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


class LimitedH11Protocol(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout = settings.header_timeout
        self.max_head = settings.max_header_bytes
        self._head_timer: asyncio.TimerHandle | None = None
        self._answered = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is in: the app takes over
            self._disarm_head_timer()

    def _head_too_large(self, data: bytes) -> bool:
        """h11 bounds only a head that is still incomplete; one that arrives whole in a
        single read is measured here."""
        pending = self.conn.trailing_data[0] + data if self.conn.trailing_data[0] else data
        end = pending.find(b"\r\n\r\n", 0, self.max_head + 4)
        if (end == -1 and len(pending) <= self.max_head) or 0 <= end <= self.max_head:
            return False
        self._refuse_oversized(pending)
        return True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._answered = True
        if not self.transport.is_closing():
            self._arm_head_timer()  # the next request's head, once it starts, is bounded

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's own words)
        buffered, _closed = self.conn.trailing_data
        if len(buffered) > self.max_head:
            self._refuse_oversized(buffered)
        else:
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

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # a head had begun
            self._refuse(
                408,
                "request-timeout",
                "Request timeout",
                f"the request line and headers did not arrive within {self.header_timeout:g} s",
            )
        elif not self._answered:
            self.transport.close()  # a connection that never said anything: nothing to answer
        # else a kept-alive connection waiting for its next request: uvicorn closes it after
        # AIGAP_KEEP_ALIVE_TIMEOUT, which may be longer than the head's timeout

    def _refuse(self, status: int, slug: str, title: str, detail: str) -> None:
        self._disarm_head_timer()
        self._unset_keepalive_if_required()
        if not self.transport.is_closing():
            self.transport.write(problem_bytes(status, slug, title, detail))
            self.transport.close()
