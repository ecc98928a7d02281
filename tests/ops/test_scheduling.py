"""The suite's own scheduling (tests/scheduling.py): longest files first, and a worker's
next file only when it is about to run out."""

from collections import OrderedDict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from tests.scheduling import LongestFileFirst, longest_first


@dataclass(eq=False)  # a worker is hashed by identity, as xdist hashes its nodes
class Node:
    """What the scheduler asks of a worker: which tests to run, and to stop."""

    sent: list[list[int]] = field(default_factory=list)
    shutting_down: bool = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.append(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def _item(nodeid: str, seconds: float | None) -> Any:
    marker = None if seconds is None else SimpleNamespace(args=(seconds,))
    return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda _name: marker)


def test_marked_files_go_first_longest_first_and_the_rest_keep_their_order() -> None:
    items = [
        _item("a.py::one", None),
        _item("b.py::one", 10),
        _item("a.py::two", None),
        _item("c.py::one", 50),
        _item("b.py::two", 10),
        _item("d.py::one", None),
    ]
    longest_first(items)
    assert [item.nodeid for item in items] == [
        "c.py::one",
        "b.py::one",
        "b.py::two",
        "a.py::one",
        "a.py::two",
        "d.py::one",
    ]


def test_a_worker_gets_its_next_file_only_when_it_holds_one_test() -> None:
    one_worker = SimpleNamespace(getvalue={"tx": ["popen"]}.__getitem__)
    scheduler = LongestFileFirst(one_worker)
    node = Node()
    scheduler.registered_collections[node] = ["long.py::a", "long.py::b", "next.py::a"]
    scheduler.workqueue = OrderedDict(
        [
            ("long.py", {"long.py::a": False, "long.py::b": False}),
            ("next.py", {"next.py::a": False}),
        ]
    )
    scheduler.assigned_work[node] = {}

    scheduler._reschedule(node)  # an idle worker takes the first file
    assert node.sent == [[0, 1]]
    scheduler._reschedule(node)  # xdist would hand out a second file here: two tests left
    assert node.sent == [[0, 1]]

    scheduler.assigned_work[node]["long.py"]["long.py::a"] = True
    scheduler._reschedule(node)  # one test held back: now the next file
    assert node.sent == [[0, 1], [2]]

    scheduler.assigned_work[node]["long.py"]["long.py::b"] = True
    scheduler._reschedule(node)  # nothing left to hand out
    assert node.shutting_down
