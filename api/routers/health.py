"""Liveness and readiness probes."""

from functools import lru_cache

import anyio
import anyio.to_thread
from pydantic import ConfigDict
from sqlalchemy.exc import DBAPIError

from api.concurrency import PerLoopLimiter, database_deadline
from api.db import transaction
from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES, ServiceUnavailable
from api.models.base import LazyModel
from api.services.health import Readiness, check_readiness, expected_head
from api.settings import Settings
from api.web.router import Router

router = Router(tags=["health"])


class Health(LazyModel):
    status: str

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})


class ReadinessPublic(LazyModel):
    status: str
    database: str
    schema_revision: str | None
    expected_revision: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ready",
                    "database": "sqlite",
                    "schema_revision": "3141a8cd84e7",
                    "expected_revision": "3141a8cd84e7",
                }
            ]
        }
    )


_head = lru_cache(maxsize=1)(expected_head)


@router.get("/healthz", summary="Liveness: the process answers", operation_id="get_health")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="Readiness: the database answers and is migrated",
    operation_id="get_readiness",
    responses={503: ERROR_RESPONSES[503]},
)
async def readyz(settings: SettingsDep) -> ReadinessPublic:
    try:
        with database_deadline(settings.db_read_timeout):
            readiness = await anyio.to_thread.run_sync(
                _check, settings, abandon_on_cancel=True, limiter=_probe_limiter()
            )
    except DBAPIError as exc:
        raise ServiceUnavailable("The database is not reachable.") from exc
    if not readiness.ready:
        raise ServiceUnavailable(
            f"Schema revision {readiness.schema_revision} is not the expected "
            f"{readiness.expected_revision}; run `aigap migrate`.",
        )
    return ReadinessPublic(
        status="ready",
        database=readiness.database,
        schema_revision=readiness.schema_revision,
        expected_revision=readiness.expected_revision,
    )


def _check(settings: Settings) -> Readiness:
    # Its own connection, not the request's session: a probe that times out leaves this
    # thread waiting on a hung database, and nothing else may be waiting on it with it.
    with transaction(settings) as session:
        return check_readiness(session, _head())


# Probes stuck on a hung database hold these two threads, never the shared pool.
_probe_limiter = PerLoopLimiter(2)
