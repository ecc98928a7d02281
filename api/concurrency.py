"""Thread limiters of their own, for work that must never queue behind request handlers."""

import asyncio
import weakref

import anyio


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
