"""Answers remembered per ETag: a GET whose answer this process already built is sent again.

conditional_get's ETag names the data version, the path, the sorted query and the
representation, so everything an answer depends on; once the data changes, every ETag
does too and old entries simply stop being asked for (and age out, least recently used
first, within AIGAP_RESPONSE_CACHE_BYTES). Only complete 200 answers are kept. The
request id and CORS headers are added outside this cache, per request.
"""

from collections import OrderedDict
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATE_KEY = "response_cache_key"
CacheKey = tuple[str, str, str]


ENTRY_OVERHEAD = 600  # bytes: the key tuple, the dataclass, the list (a generous estimate)


@dataclass(frozen=True)
class CachedAnswer:
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def size(self) -> int:
        """What the entry holds in memory, roughly: the budget counts this, not the body."""
        headers = sum(len(name) + len(value) + 90 for name, value in self.headers)  # + objects
        return len(self.body) + headers + ENTRY_OVERHEAD


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 8
        self._entries: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()
        self._sizes: dict[CacheKey, int] = {}
        self._bytes = 0

    @staticmethod
    def key(request: Request, etag: str) -> CacheKey:
        # Link headers carry absolute URLs: the host and the query as sent are part of it.
        return etag, str(request.base_url), request.url.query

    def get(self, key: CacheKey) -> CachedAnswer | None:
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
        return answer

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        size = answer.size + sum(len(part) for part in key)
        if size > self.max_entry_bytes or key in self._entries:
            return
        self._entries[key] = answer
        self._sizes[key] = size
        self._bytes += size
        while self._bytes > self.max_bytes:
            evicted, _ = self._entries.popitem(last=False)
            self._bytes -= self._sizes.pop(evicted)

    def __len__(self) -> int:
        return len(self._entries)


class CachedResponse(Exception):
    """Raised by conditional_get when the answer is known: nothing else runs."""

    def __init__(self, answer: CachedAnswer) -> None:
        super().__init__("cached")
        self.answer = answer


async def cached_response_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CachedResponse)
    response = Response(exc.answer.body)
    response.raw_headers = list(exc.answer.headers)
    return response


class ResponseCacheMiddleware:
    """Keeps the 200 answers of requests that conditional_get marked with a cache key."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.cache.max_bytes:
            await self.app(scope, receive, send)
            return
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0

        async def remembering_send(message: Message) -> None:
            nonlocal status, headers, size
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body" and status == 200:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size <= self.cache.max_entry_bytes:
                    chunks.append(chunk)
                if not message.get("more_body", False):
                    key = scope.get("state", {}).get(STATE_KEY)
                    if key is not None and size <= self.cache.max_entry_bytes:
                        self.cache.put(key, CachedAnswer(headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, remembering_send)
