"""PostgreSQL reads awaited on the event loop: no worker thread, no hand-off.

The read path's list reads on PostgreSQL used to go to a worker thread, which mostly waited
on the network: each read cost two thread hand-offs and a GIL passed between the thread and
the event loop (a tenth of a busy server's samples were the thread waking the loop). Here
the very same read (the list service, over an ORM session) runs in a greenlet while the
event loop awaits the server's answer (SQLAlchemy's asyncio extension over psycopg's
AsyncConnection). Same statements, same deadlines (api/postgres_deadlines.py), a pool of
its own per event loop, in autocommit: a read needs no transaction.
"""

import asyncio
import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from api.db import postgres_connect_args
from api.settings import Settings

if TYPE_CHECKING:  # imported when first used: SQLite's start-up needs none of it
    from sqlalchemy.ext.asyncio import AsyncEngine

Result = TypeVar("Result")


class AsyncReads:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncEngine] = (
            weakref.WeakKeyDictionary()
        )

    async def run(self, read: Callable[[Session], Result]) -> Result:
        """`read` with a session whose statements are awaited on this event loop."""
        from sqlalchemy.ext.asyncio import AsyncSession

        async with AsyncSession(self._engine(), sync_session_class=Session) as session:
            # sync_session_class makes it SQLModel's Session; the stubs cannot say so
            return await session.run_sync(lambda sync: read(cast(Session, sync)))

    @staticmethod
    def stale_connection(error: DBAPIError) -> bool:
        """A pooled connection the server had dropped (it restarted), not a deadline: the
        pool has discarded it, and the read may be tried again."""
        from api.postgres_deadlines import DeadlinePassed

        return error.connection_invalidated and not isinstance(error.orig, DeadlinePassed)

    async def close(self) -> None:
        engine = self._engines.pop(asyncio.get_running_loop(), None)
        if engine is not None:
            await engine.dispose()

    def _engine(self) -> "AsyncEngine":
        loop = asyncio.get_running_loop()
        engine = self._engines.get(loop)
        if engine is None:
            engine = self._engines[loop] = _create(self._settings)
        return engine


def _create(settings: Settings) -> "AsyncEngine":
    from sqlalchemy.ext.asyncio import create_async_engine

    from api.postgres_deadlines import AsyncDeadlineConnection  # psycopg: only for PostgreSQL

    url = make_url(settings.database_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    arguments = postgres_connect_args(settings.db_connect_timeout, settings.db_statement_timeout)
    statement_timeout = settings.db_statement_timeout or math.inf

    async def connect() -> AsyncDeadlineConnection:
        connection = await AsyncDeadlineConnection.connect(conninfo, autocommit=True, **arguments)
        connection.statement_timeout = statement_timeout
        return connection

    return create_async_engine(
        url,
        async_creator=connect,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=settings.db_connect_timeout,
        isolation_level="AUTOCOMMIT",
    )
