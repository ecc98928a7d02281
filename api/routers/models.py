"""Model-performance pillar: model cards, monthly Arena scores, and the Elo lag."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.lag import LagCurrent, LagMethod, LagSeries
from api.services.imports import import_arena
from api.services.models import (
    AI_MODELS,
    ARENA_SCORES,
    MODELS_INDICATORS,
    MODELS_OBSERVATIONS,
    current_lag,
    lag_series,
)
from api.web.data_version import DataVersionDep
from api.web.imports import add_import_route
from api.web.params import FromMonth, Tolerance, ToMonth
from api.web.record_routes import AsOf, add_record_routes

router = APIRouter(prefix="/v1/models", tags=["models"])
DEFAULT_ARENA_SOURCE = "lmsys-chatbot-arena"
add_import_route(
    router,
    "/arena-scores/import",
    what="monthly Arena scores",
    columns="month, model, organization, country, score; optional ci_lower, ci_upper, "
    f"votes, source (a source key; default {DEFAULT_ARENA_SOURCE}), source_location, note. "
    "Unknown models are created with their organization and country",
    operation_id="import_arena_scores",
    importer=lambda session, body, actor: import_arena(
        session, body, actor=actor, default_source=DEFAULT_ARENA_SOURCE
    ),
)
add_record_routes(router, "/catalog", AI_MODELS)
add_record_routes(router, "/arena-scores", ARENA_SCORES)
add_record_routes(router, "/indicators", MODELS_INDICATORS)
add_record_routes(router, "/observations", MODELS_OBSERVATIONS, mrv=True)

Method = Annotated[
    LagMethod,
    Query(description="`whole_month` (default) or `interpolated` (fractional months)."),
]
COMPUTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag in If-None-Match."},
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}


@router.get(
    "/lag",
    summary="Months China's best model trails the US's, by month",
    description="Computed from every Arena score (only US and China models count). "
    "Returns the method, its parameters, the series and a summary over uncensored months.",
    operation_id="get_model_lag",
    response_model=LagSeries,
    responses=COMPUTED_RESPONSES,
)
def get_lag(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    method: Method = LagMethod.whole_month,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
    explain: Annotated[
        bool, Query(description="Also return every Arena score considered.")
    ] = False,
) -> LagSeries:
    return lag_series(
        session,
        data_version=version,
        tolerance=tolerance,
        method=method,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
        explain=explain,
    )


@router.get(
    "/lag/current",
    summary="The latest month's lag (for polling)",
    description="Small and cacheable: send If-None-Match with the last ETag to get a 304 "
    "until the data changes.",
    operation_id="get_current_model_lag",
    response_model=LagCurrent,
    responses={**COMPUTED_RESPONSES, 404: ERROR_RESPONSES[404]},
)
def get_current_lag(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    method: Method = LagMethod.whole_month,
    as_of: AsOf = None,
) -> LagCurrent:
    series = lag_series(
        session, data_version=version, tolerance=tolerance, method=method, as_of=as_of
    )
    return current_lag(series)
