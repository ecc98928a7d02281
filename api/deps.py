"""Annotated dependency aliases: the one session dependency, settings, shared lookups."""

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends
from sqlmodel import Session

from api.concurrency import PerLoopLimiter
from api.db import finish, get_engine
from api.settings import Settings, get_settings


async def request_settings() -> Settings:
    """The settings, as a dependency. A coroutine: FastAPI calls a plain function
    dependency in a worker thread, a hop per request for a cached lookup."""
    return get_settings()


SettingsDep = Annotated[Settings, Depends(request_settings)]


async def get_session(settings: SettingsDep) -> AsyncIterator[Session]:
    """The one place that commits: on success after the handler returns, else rolls back.

    Opening it costs nothing (it connects on first use), so a request answered from a cache
    never touches the database; only a session that did pays a thread-pool trip to finish.
    """
    session = Session(get_engine(settings))
    try:
        yield session
    except BaseException:
        await _finish(session, commit=False)
        raise
    await _finish(session, commit=True)


# Finishing gets threads of its own: a session holds a pooled connection until it is
# finished, and if finishing queued behind handlers that wait for a free connection,
# neither would ever move (FastAPI gives the exits of its generator dependencies their
# own limiter for the same reason).
_finishing = PerLoopLimiter(4)


async def _finish(session: Session, *, commit: bool) -> None:
    if session.in_transaction():
        with anyio.CancelScope(shield=True):  # a client that hangs up still gets no leak
            await anyio.to_thread.run_sync(
                lambda: finish(session, commit=commit), limiter=_finishing()
            )
    else:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
