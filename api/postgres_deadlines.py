"""PostgreSQL's side of api.deadlines: a psycopg connection whose every wait on the server
ends by its deadline, and telling an unanswered error from one the server gave."""

import math
from typing import Any

import psycopg
from psycopg.errors import _WaitTimeout

from api.deadlines import seconds_left

# PostgreSQL's own statement_timeout fires first when the server is alive; the client
# gives it this long to say so before it assumes the server is gone.
CLIENT_GRACE = 0.5
# A rollback after the deadline still gets this long: it releases the transaction's locks.
ROLLBACK_FLOOR = 0.5


class DeadlinePassed(psycopg.OperationalError):
    """A statement was not started or not finished before its deadline."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent  # False: the server never saw the statement


def unanswered(error: BaseException) -> bool:
    """A PostgreSQL error with no SQLSTATE came from the client side: no answer arrived."""
    if isinstance(error, DeadlinePassed):
        return error.sent
    return isinstance(error, psycopg.Error) and error.sqlstate is None


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait on the server ends by its deadline."""

    statement_timeout: float = math.inf  # set for each connection by its engine
    _rolling_back = False

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        floor = ROLLBACK_FLOOR if self._rolling_back else 0.0
        seconds = max(floor, seconds_left(self.statement_timeout + CLIENT_GRACE))
        if seconds <= 0:  # nothing was sent: the connection stays usable
            gen.close()
            raise DeadlinePassed("the request's deadline passed before this statement", sent=False)
        if timeout is not None and timeout <= seconds:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, None if math.isinf(seconds) else seconds)
        except _WaitTimeout:
            # The server is mid-answer, or gone: this connection cannot be used again.
            self.close()
            raise DeadlinePassed(
                f"the database did not answer within {seconds:.1f} s", sent=True
            ) from None

    def rollback(self) -> None:
        self._rolling_back = True
        try:
            super().rollback()
        finally:
            self._rolling_back = False


class AsyncDeadlineConnection(psycopg.AsyncConnection[Any]):
    """The same deadlines for a connection awaited on the event loop (api/async_reads.py).

    A wait that passes its deadline closes the connection at once rather than being
    cancelled: on cancellation psycopg asks the server to cancel the query and waits up to
    ten seconds for that, which a frozen server never answers. Only reads use it, in
    autocommit: there is never a transaction to roll back."""

    statement_timeout: float = math.inf

    async def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        seconds = seconds_left(self.statement_timeout + CLIENT_GRACE)
        if seconds <= 0:
            gen.close()
            raise DeadlinePassed("the request's deadline passed before this statement", sent=False)
        if timeout is not None and timeout <= seconds:
            return await super().wait(gen, interval, timeout)
        try:
            return await super().wait(gen, interval, None if math.isinf(seconds) else seconds)
        except _WaitTimeout:
            self.pgconn.finish()
            raise DeadlinePassed(
                f"the database did not answer within {seconds:.1f} s", sent=True
            ) from None
