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


class SqliteDeadline:
    """A progress handler for one SQLite connection: nonzero interrupts the statement."""

    def __init__(self, statement_timeout: float) -> None:
        self.statement_timeout = statement_timeout
        self.deadline = math.inf

    def start_statement(self) -> None:
        self.deadline = time.monotonic() + seconds_left(self.statement_timeout)

    def __call__(self) -> int:
        return 1 if time.monotonic() > self.deadline else 0
