"""The data version of a request, read once for many concurrent requests.

The data version is the newest change id in the database, so every server process agrees
on it. Reading it for each request costs a trip to the thread pool and a query; under load
requests share reads instead. A request is only ever answered by a read that *started after
it arrived*, so it never sees a version older than a write committed before it arrived,
whichever process took that write.
"""

import asyncio
import weakref
from typing import Annotated

import anyio.to_thread
from fastapi import Depends
from sqlalchemy import Engine
from sqlmodel import Session

from api.concurrency import database_deadline
from api.db import get_engine
from api.deps import SettingsDep
from api.services.records import data_version


class DataVersionReader:
    """One query at a time per process; every request waiting when it starts shares it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._waiting: asyncio.Future[int] | None = None  # the next read, not yet started
        self._one_at_a_time = asyncio.Lock()

    async def read(self) -> int:
        if self._waiting is None:
            self._waiting = asyncio.get_running_loop().create_future()
            self._waiting.add_done_callback(_mark_retrieved)
            asyncio.get_running_loop().create_task(self._read_for(self._waiting))
        return await asyncio.shield(self._waiting)

    async def _read_for(self, batch: asyncio.Future[int]) -> None:
        async with self._one_at_a_time:
            self._waiting = None  # requests arriving from now on wait for the next read
            try:
                batch.set_result(await anyio.to_thread.run_sync(self._query))
            except Exception as exc:  # the database is down: every waiting request hears it
                batch.set_exception(exc)

    def _query(self) -> int:
        with Session(self._engine) as session:
            return data_version(session)


def _mark_retrieved(future: asyncio.Future[int]) -> None:
    if not future.cancelled():
        future.exception()  # the waiters re-raise it; don't also log it as unretrieved


_readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, DataVersionReader]] = (
    weakref.WeakKeyDictionary()
)


async def read_data_version(settings: SettingsDep) -> int:
    """The request's data version (FastAPI resolves it once per request)."""
    per_url = _readers.setdefault(asyncio.get_running_loop(), {})
    reader = per_url.get(settings.database_url)
    if reader is None:
        reader = per_url[settings.database_url] = DataVersionReader(get_engine(settings))
    with database_deadline(settings.db_read_timeout):
        return await reader.read()


DataVersionDep = Annotated[int, Depends(read_data_version)]
