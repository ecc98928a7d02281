"""Sources: the publications every figure cites."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.pages import Page
from api.models.sources import SourcePublic
from api.services.sources import list_sources

router = APIRouter(prefix="/v1/sources", tags=["sources"])


@router.get(
    "",
    summary="List sources",
    operation_id="list_sources",
    response_model=Page[SourcePublic],
    responses={400: ERROR_RESPONSES[400]},
)
def list_sources_route(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Records to skip.")] = 0,
    as_of: Annotated[
        datetime | None, Query(description="Answer as the data stood at this time (ISO 8601).")
    ] = None,
) -> Page[SourcePublic]:
    rows, total = list_sources(session, limit=limit, offset=offset, as_of=as_of)
    items = [SourcePublic.model_validate(row, from_attributes=True) for row in rows]
    return Page[SourcePublic](items=items, total=total, limit=limit, offset=offset)
