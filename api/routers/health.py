"""Liveness and readiness probes."""

from functools import lru_cache

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES, ServiceUnavailable
from api.services.health import check_readiness, expected_head

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str

    model_config = {"json_schema_extra": {"examples": [{"status": "ok"}]}}


class ReadinessPublic(BaseModel):
    status: str
    database: str
    schema_revision: str | None
    expected_revision: str | None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "status": "ready",
                    "database": "sqlite",
                    "schema_revision": "3141a8cd84e7",
                    "expected_revision": "3141a8cd84e7",
                }
            ]
        }
    }


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
def readyz(session: SessionDep) -> ReadinessPublic:
    try:
        readiness = check_readiness(session, _head())
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
