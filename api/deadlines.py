"""Deadlines on database work: each statement's own, and its request's, whichever is first.

A request sets its deadline once (`request_deadline`); every statement it runs, in any
thread (threads inherit the context), is cut off at `min(statement limit, what is left
of the request)`. A cut-off statement raises the driver's OperationalError, which the
error handler answers as a 503 with Retry-After.

- PostgreSQL: the server's `statement_timeout` stops slow statements and keeps the
  connection. A server that does not answer at all (frozen, or a dead network) is cut off
  by the client too, a little later: every wait of psycopg goes through
  `Connection.wait`, which takes a timeout; the connection is then closed, and the pool
  drops it.
  (api/postgres_deadlines.py, imported only for a PostgreSQL engine: psycopg is a twentieth
  of a SQLite server's start-up.)
- SQLite: a progress handler interrupts the statement; `busy_timeout` bounds lock waits.

A COMMIT that got no answer is in doubt: the server may have made it durable and then
stopped answering, or may still make it durable when it wakes. `commit_outcome` turns
that case into `CommitInDoubt`, so the client is told that its write may have been saved
rather than that it was not.
"""

import math
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.exc import DBAPIError

from api.errors import CommitInDoubt


class RequestClock:
    """One request's deadline, and whether a COMMIT of its writes went unanswered."""

    def __init__(self, seconds: float, *, writes: bool) -> None:
        self.deadline = time.monotonic() + seconds
        self.writes = writes  # a read's COMMIT changes nothing: it is never in doubt
        self.committing = False  # a COMMIT was sent; its answer has not come
        self.committed = False  # a COMMIT was answered: the request's writes are saved


_request_clock: ContextVar[RequestClock | None] = ContextVar("aigap_request_clock", default=None)

# SQLite calls the progress handler every this many virtual machine instructions.
PROGRESS_STEPS = 10_000


@contextmanager
def request_deadline(seconds: float, *, writes: bool = True) -> Iterator[RequestClock]:
    """Database work inside the block (and in threads it starts) ends within `seconds`.

    Threads get a copy of the context, but the clock itself is shared: what a thread marks
    on it (a COMMIT in flight) the request's event loop sees."""
    clock = RequestClock(seconds, writes=writes)
    token = _request_clock.set(clock)
    try:
        yield clock
    finally:
        _request_clock.reset(token)


def seconds_left(statement_limit: float) -> float:
    """How long a statement starting now may take: its own limit, or the request's rest."""
    clock = _request_clock.get()
    if clock is None:
        return statement_limit
    return min(statement_limit, clock.deadline - time.monotonic())


@contextmanager
def commit_outcome() -> Iterator[None]:
    """Around a COMMIT of writes: marks the request's clock while the COMMIT waits for its
    answer, and raises `CommitInDoubt` when none came (the connection was lost, or the
    deadline passed after COMMIT was sent); the mark then stays, so that an answer given
    for the request by its deadline says the same. An error the server answered (a
    serialization failure, say) means nothing was committed, and passes through."""
    clock = _request_clock.get()
    if clock is not None and not clock.writes:
        yield
        return
    if clock is not None:
        clock.committing = True
    try:
        yield
    except DBAPIError as exc:
        if exc.orig is not None and _unanswered(exc.orig):
            raise CommitInDoubt() from exc
        if clock is not None:
            clock.committing = False
        raise
    if clock is not None:
        clock.committing, clock.committed = False, True


def _unanswered(error: BaseException) -> bool:
    if "psycopg" not in sys.modules:  # then the error is SQLite's: it always answers
        return False
    from api.postgres_deadlines import unanswered

    return unanswered(error)


class LoopBudget:
    """How long SQLite work may run on the event loop itself (`on_the_loop`)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.exhausted = False  # a statement was interrupted because the budget ran out


_loop_budget: ContextVar[LoopBudget | None] = ContextVar("aigap_loop_budget", default=None)


@contextmanager
def on_the_loop(seconds: float) -> Iterator[LoopBudget]:
    """SQLite statements inside the block run on the event loop's own thread: each is
    interrupted once `seconds` have passed (`budget.exhausted` then says so), and none
    waits for a lock (busy timeout 0: a writer's lock is a "database is locked" at once).
    Either way the caller runs the same work again in a thread, where both limits are the
    connection's own."""
    budget = LoopBudget(seconds)
    token = _loop_budget.set(budget)
    try:
        yield budget
    finally:
        _loop_budget.reset(token)


class SqliteDeadline:
    """A progress handler for one SQLite connection: nonzero interrupts the statement.
    It also keeps the connection's busy timeout: its own, or 0 on the event loop."""

    def __init__(self, statement_timeout: float, busy_timeout_ms: int) -> None:
        self.statement_timeout = statement_timeout
        self.deadline = math.inf
        self.busy_timeout_ms = busy_timeout_ms
        self._busy_set = busy_timeout_ms  # what the connection has now
        self._budget: LoopBudget | None = None

    def start_statement(self, dbapi_connection: Any) -> None:
        self.deadline = time.monotonic() + seconds_left(self.statement_timeout)
        self._budget = _loop_budget.get()
        busy = self.busy_timeout_ms
        if self._budget is not None:
            self.deadline = min(self.deadline, self._budget.deadline)
            busy = 0
        if busy != self._busy_set:  # only on a change: a PRAGMA costs as much as a short read
            dbapi_connection.execute(f"PRAGMA busy_timeout={busy}")
            self._busy_set = busy

    def __call__(self) -> int:
        if time.monotonic() <= self.deadline:
            return 0
        if self._budget is not None and time.monotonic() > self._budget.deadline:
            self._budget.exhausted = True
        return 1
