"""Which worker runs which test file, and when: longest files first, each handed out only
when a worker is about to run out.

xdist's `loadfile` gives a worker its next file as soon as it has two tests or fewer left,
and at the start gives every worker two files. A file of two long tests (schemathesis, the
hung database) so takes a second file at once, which then waits a minute behind it while
other workers go idle. Here a worker gets its next file when it holds one test: the one
xdist keeps back until it knows what runs after it (to tear down module fixtures).
"""

from typing import Any

import pytest
from xdist.scheduler import LoadFileScheduling


def expected_seconds(item: pytest.Item) -> float:
    marker = item.get_closest_marker("long_running")
    return float(marker.args[0]) if marker is not None else 0.0


def longest_first(items: list[pytest.Item]) -> None:
    """A stable sort: a file's tests keep their order, unmarked files theirs."""
    items.sort(key=lambda item: -expected_seconds(item))


class LongestFileFirst(LoadFileScheduling):  # type: ignore[misc]
    def _reschedule(self, node: Any) -> None:
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        if self._pending_of(self.assigned_work[node]) > 1:
            return
        self._assign_work_unit(node)
