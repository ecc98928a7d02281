"""Whether anything was committed to a PostgreSQL database since the last look, known on
the event loop without a round trip: what lets a PostgreSQL worker answer from its caches
with no query at all.

Three things together, each covering what the others cannot:
- the host's commit counter (api/commit_counter.py), bumped by every worker of this host
  after its write commits and before its answer leaves: a write is seen by the next request
  on any worker here, with no moment in between;
- LISTEN on `aigap_changes`, which a trigger on the change log notifies once per statement
  (migration a7c3e9f1d2b4): writes from other hosts and from tools that go around the
  service are heard of a moment after they commit;
- a heartbeat: the listening connection asks the server a trivial question every
  AIGAP_DB_HEARTBEAT_SECONDS, and what the worker knows is trusted only while the last
  answer is under twice that old. A database that stops answering (frozen, unreachable
  without a reset) or drops the connection makes every request ask it again, and so be a
  503 within its deadline, as before; a reconnection follows the first read that works.

All of it runs on the event loop: reading what arrived on the listening socket is one
non-blocking `recv`; only the connection itself is made in a thread.
"""

import asyncio
import logging
import math
import select
import time

import anyio.to_thread
import psycopg
from psycopg import pq
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine

from api.commit_counter import CommitCounter

CHANNEL = "aigap_changes"  # the migration's trigger notifies it
RETRY_SECONDS = 1.0
log = logging.getLogger(__name__)


class PostgresCommits:
    def __init__(
        self, conninfo: str, counter: CommitCounter, heartbeat_seconds: float, timeout: float
    ) -> None:
        self._conninfo = conninfo
        self._counter = counter
        self._heartbeat = heartbeat_seconds
        self._trusted_for = 2 * heartbeat_seconds
        self._timeout = timeout
        self._pgconn: pq.abc.PGconn | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._closed = False
        self._connections = 0  # in the token: a reconnection may have missed notifications
        self._notified = 0
        self._answered_at = -math.inf  # when the last answered heartbeat was sent
        self._beat_sent_at: float | None = None
        self._closing: str | None = None  # what the server said as it closed the connection
        self._retry_at = -math.inf  # no new attempt before this, after one failed

    @staticmethod
    def of(
        engine: Engine, counter: CommitCounter, heartbeat_seconds: float, timeout: float
    ) -> "PostgresCommits":
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        conninfo = make_conninfo(
            url, connect_timeout=max(1, math.ceil(timeout)), application_name="aigap-listener"
        )
        return PostgresCommits(conninfo, counter, heartbeat_seconds, timeout)

    @property
    def listening(self) -> bool:
        return self._pgconn is not None

    def look(self) -> tuple[int, int, int] | None:
        """What changes whenever anything commits; None if that cannot be known now."""
        if self._pgconn is None or not self._drain():
            return None
        if time.monotonic() - self._answered_at > self._trusted_for:
            return None
        return (self._connections, self._notified, self._counter.read())

    def revive(self) -> None:
        """Listen again, if not listening: called once a read has found the database
        answering, so a connection is never attempted against one that is not."""
        if self._closed or self._pgconn is not None or self._connecting is not None:
            return
        if time.monotonic() < self._retry_at:
            return
        self._loop = asyncio.get_running_loop()
        self._connecting = self._loop.create_task(self._connect())

    def close(self) -> None:
        self._closed = True
        if self._connecting is not None:
            self._connecting.cancel()
        self._lose()

    async def _connect(self) -> None:
        try:
            started = time.monotonic()
            pgconn = await anyio.to_thread.run_sync(self._open)
        except (psycopg.Error, OSError) as error:
            # Requests read the version meanwhile; try again a little later, not at once
            # (a database out of connections would otherwise be asked after every read).
            self._retry_at = time.monotonic() + RETRY_SECONDS
            log.warning("could not listen for commits: %s", error)
            return
        finally:
            self._connecting = None
        if self._closed:
            pgconn.finish()
            return
        assert self._loop is not None
        self._pgconn = pgconn
        self._closing = None
        self._connections += 1
        self._answered_at = started
        self._timer = self._loop.call_later(self._heartbeat, self._beat)

    def _open(self) -> pq.abc.PGconn:
        """Connect and LISTEN, within the timeout even against a server that stopped
        answering after it accepted the connection."""
        deadline = time.monotonic() + self._timeout
        # Not PGconn.connect: it waits for the server holding the GIL.
        pgconn = pq.PGconn.connect_start(self._conninfo.encode())
        try:
            while (polled := pgconn.connect_poll()) != pq.PollingStatus.OK:
                if polled == pq.PollingStatus.FAILED:
                    raise psycopg.OperationalError(_message(pgconn))
                _wait(pgconn, deadline, write=polled == pq.PollingStatus.WRITING)
            pgconn.nonblocking = 1
            pgconn.notice_handler = self._on_notice
            pgconn.send_query(f"LISTEN {CHANNEL}".encode())
            while pgconn.flush():
                _wait(pgconn, deadline, write=True)
            while True:
                pgconn.consume_input()
                if not pgconn.is_busy():
                    break
                _wait(pgconn, deadline)
            while (result := pgconn.get_result()) is not None:
                if result.status != pq.ExecStatus.COMMAND_OK:
                    raise psycopg.OperationalError(_message(pgconn))
        except BaseException:
            pgconn.finish()
            raise
        return pgconn

    def _beat(self) -> None:
        assert self._loop is not None
        self._timer = self._loop.call_later(self._heartbeat, self._beat)
        if self._pgconn is None or not self._drain() or self._beat_sent_at is not None:
            return  # lost, or the last question is still unanswered
        sent_at = time.monotonic()
        try:
            self._pgconn.send_query(b"SELECT 1")
            self._pgconn.flush()  # a few bytes: the socket's buffer takes them at once
        except psycopg.Error:
            self._lose()
            return
        self._beat_sent_at = sent_at

    def _drain(self) -> bool:
        """Read what arrived: notifications, and the heartbeat's answer. False once the
        connection is lost (then it is closed)."""
        pgconn = self._pgconn
        assert pgconn is not None
        try:
            pgconn.consume_input()
            while pgconn.notifies() is not None:
                self._notified += 1
            while self._beat_sent_at is not None and not pgconn.is_busy():
                result = pgconn.get_result()
                if result is None:
                    self._answered_at, self._beat_sent_at = self._beat_sent_at, None
                elif result.status != pq.ExecStatus.TUPLES_OK:
                    raise psycopg.OperationalError(_message(pgconn))
            if self._closing is not None:
                raise psycopg.OperationalError(self._closing)
            if pgconn.status != pq.ConnStatus.OK:
                raise psycopg.OperationalError(_message(pgconn))
            pgconn.socket  # noqa: B018 - raises once libpq has closed a lost connection
        except psycopg.Error as error:
            log.warning("stopped listening for commits: %s", error)
            self._lose()
            return False
        return True

    def _on_notice(self, notice: pq.abc.PGresult) -> None:
        """A server shutting down says so before it closes the connection (FATAL, or a
        WARNING in class 57P on an immediate shutdown); libpq hands that to the notice
        handler and sees the close itself only at a later read."""
        severity = notice.error_field(pq.DiagnosticField.SEVERITY_NONLOCALIZED)
        state = notice.error_field(pq.DiagnosticField.SQLSTATE) or b""
        if severity in (b"FATAL", b"PANIC") or state.startswith((b"57P", b"08")):
            message = notice.error_field(pq.DiagnosticField.MESSAGE_PRIMARY) or b""
            self._closing = message.decode(errors="replace") or "the server closed"

    def _lose(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pgconn is not None:
            self._pgconn.finish()
            self._pgconn = None
        self._beat_sent_at = None
        self._answered_at = -math.inf


def _wait(pgconn: pq.abc.PGconn, deadline: float, *, write: bool = False) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise psycopg.OperationalError("the database did not answer in time")
    socket = pgconn.socket
    select.select([] if write else [socket], [socket] if write else [], [], left)


def _message(pgconn: pq.abc.PGconn) -> str:
    return pgconn.get_error_message() or "the connection failed"
