"""Answers remembered per ETag: a GET whose answer this process already built is sent again
(by the read path, api/web/read_path.py).

conditional_get's ETag names the data version, the path, the sorted query and the
representation, so everything an answer depends on; once the data changes, every ETag
does too and old entries simply stop being asked for (and age out, least recently used
first, within AIGAP_RESPONSE_CACHE_BYTES). Only complete 200 answers are kept. The
request id and CORS headers are added outside this cache, per request.
"""

from dataclasses import dataclass

from cachetools import LRUCache
from starlette.requests import Request

CacheKey = tuple[str, str, str]


ENTRY_OVERHEAD = 600  # bytes: the key tuple, the dataclass, the list (a generous estimate)


@dataclass(frozen=True)
class CachedAnswer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    status: int = 200

    @property
    def size(self) -> int:
        """What the entry holds in memory, roughly: the budget counts this, not the body."""
        headers = sum(len(name) + len(value) + 90 for name, value in self.headers)  # + objects
        return len(self.body) + headers + ENTRY_OVERHEAD


class ResponseCache:
    """Bounded by bytes (an entry's `size`), least recently used out first; used from the
    event loop only."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 8
        self._entries: LRUCache[CacheKey, tuple[CachedAnswer, int]] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda entry: entry[1]
        )

    @staticmethod
    def key(request: Request, etag: str) -> CacheKey:
        # Link headers carry absolute URLs: the host and the query as sent are part of it.
        return etag, str(request.base_url), request.url.query

    def get(self, key: CacheKey) -> CachedAnswer | None:
        entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        size = answer.size + sum(len(part) for part in key)
        if size > self.max_entry_bytes or key in self._entries:
            return
        self._entries[key] = (answer, size)

    def __len__(self) -> int:
        return len(self._entries)
