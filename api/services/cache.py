"""Answers remembered per database, data version and inputs, least recently used out first.

The data version is the newest change id in the database, so a write through any process
moves it and no process serves a stale answer; the database is part of the key because two
databases (a test's and the app's, or two tenants) can stand at the same version.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache
from sqlmodel import Session

Value = TypeVar("Value")


def database_of(session: Session) -> str:
    """The database a session reads, as a URL without its password."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


class VersionedCache(Generic[Value]):
    """A bounded, thread-safe memo of `compute()` keyed by (database, data version, inputs)."""

    def __init__(self, maxsize: int) -> None:
        self._entries: LRUCache[tuple[str, int, Hashable], Value] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(
        self, session: Session, data_version: int, inputs: Hashable, compute: Callable[[], Value]
    ) -> Value:
        key = (database_of(session), data_version, inputs)
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        value = compute()  # outside the lock: two threads may compute it, neither waits
        with self._lock:
            self._entries[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
