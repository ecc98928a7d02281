"""Requests without a valid key, counted per client address in fixed windows.

Counted in the process, not in the database: counting them there would take a write, and
a flood of bad keys must cost the database nothing. Each worker process counts its own,
so an address is turned away after at most `limit` failures on each worker; its failures
also count against the writes it may still make (see api/web/auth.py).
"""

import math
import time


class FailedKeys:
    def __init__(self, window_seconds: int) -> None:
        self.window_seconds = window_seconds
        self._window = -1
        self._counts: dict[str, int] = {}

    def _current(self, now: float | None) -> dict[str, int]:
        window = int((time.time() if now is None else now) // self.window_seconds)
        if window != self._window:  # a new window forgets every address of the last one
            self._window, self._counts = window, {}
        return self._counts

    def add(self, address: str, now: float | None = None) -> None:
        counts = self._current(now)
        counts[address] = counts.get(address, 0) + 1

    def count(self, address: str, now: float | None = None) -> int:
        return self._current(now).get(address, 0)

    def wait(self, now: float | None = None) -> int:
        """Seconds until the next window."""
        moment = time.time() if now is None else now
        return max(1, math.ceil((moment // self.window_seconds + 1) * self.window_seconds - moment))
