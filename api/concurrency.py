"""Thread limiters of their own, for work that must never queue behind request handlers."""

import asyncio
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import anyio

from api.errors import ServiceUnavailable


class PerLoopLimiter:
    """A CapacityLimiter per event loop (each test client runs its own loop)."""

    def __init__(self, tokens: int) -> None:
        self.tokens = tokens
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, anyio.CapacityLimiter
        ] = weakref.WeakKeyDictionary()

    def __call__(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        if loop not in self._by_loop:
            self._by_loop[loop] = anyio.CapacityLimiter(self.tokens)
        return self._by_loop[loop]


@contextmanager
def database_deadline(seconds: float) -> Iterator[None]:
    """A wait on the database that gives up after `seconds` with a 503: a hung database
    must not hang every request and probe behind it."""
    try:
        with anyio.fail_after(seconds):
            yield
    except TimeoutError:
        raise ServiceUnavailable(f"The database did not answer within {seconds:g} s.") from None
