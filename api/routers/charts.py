"""Charts of the model pillar: the Elo chart and the lag chart, as SVG and as Vega-Lite.

Included before the models router, so that `/arena-scores/chart.svg` is not taken for the
record key `chart.svg`.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.lag import LagSeries
from api.services.charts import (
    arena_citations,
    arena_svg,
    arena_vega_lite,
    lag_svg,
    lag_vega_lite,
    source_line,
)
from api.services.filters import MONTH
from api.services.models import lag_series
from api.web.conditional import DataVersionDep
from api.web.record_routes import AsOf

router = APIRouter(prefix="/v1/models", tags=["models"])


class SvgResponse(Response):
    media_type = "image/svg+xml"


FromMonth = Annotated[
    str | None, Query(alias="from", pattern=MONTH, description="First month (YYYY-MM).")
]
ToMonth = Annotated[
    str | None, Query(alias="to", pattern=MONTH, description="Last month (YYYY-MM).")
]
Tolerance = Annotated[
    float,
    Query(ge=0, le=1000, description="Elo points a US score may fall short and still match."),
]
ArenaTolerance = Annotated[
    float,
    Query(
        ge=0,
        le=1000,
        description="Accepted so that one query string serves both charts; "
        "the top scores do not depend on it.",
    ),
]
CHART_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag in If-None-Match."},
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}
SVG_DESCRIPTION = (
    "A standalone SVG image (`image/svg+xml`) with a `<title>` and `<desc>` text alternative, "
    "role=img, axis labels with units and the source line. Scales to its container."
)
VEGA_LITE_DESCRIPTION = (
    "A Vega-Lite v5 specification with the data inlined (`data.values`); `usermeta` holds "
    "the data version, the parameters and the source line. Render it with vega-embed."
)


def _series(
    session: Session,
    version: int,
    *,
    from_month: str | None,
    to_month: str | None,
    as_of: datetime | None,
    tolerance: float,
) -> tuple[LagSeries, str]:
    series = lag_series(
        session,
        data_version=version,
        tolerance=tolerance,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
    )
    return series, source_line(arena_citations(session, series, as_of))


@router.get(
    "/arena-scores/chart.svg",
    summary="Chart: the US's and China's top Arena score by month (SVG)",
    description=SVG_DESCRIPTION,
    operation_id="get_arena_chart_svg",
    response_class=SvgResponse,
    response_model=str,
    responses={200: {"description": "The chart."}, **CHART_RESPONSES},
)
def get_arena_chart_svg(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: ArenaTolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> str:
    series, source = _series(
        session,
        version,
        tolerance=tolerance,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
    )
    return arena_svg(series, source)


@router.get(
    "/arena-scores/chart.vl.json",
    summary="Chart: the US's and China's top Arena score by month (Vega-Lite)",
    description=VEGA_LITE_DESCRIPTION,
    operation_id="get_arena_chart_vega_lite",
    response_model=dict[str, Any],
    responses=CHART_RESPONSES,
)
def get_arena_chart_vega_lite(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: ArenaTolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    series, source = _series(
        session,
        version,
        tolerance=tolerance,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
    )
    return arena_vega_lite(series, source)


@router.get(
    "/lag/chart.svg",
    summary="Chart: months China's best model trails the US's (SVG)",
    description=SVG_DESCRIPTION + " Censored months (lower bounds) are hollow and dashed.",
    operation_id="get_lag_chart_svg",
    response_class=SvgResponse,
    response_model=str,
    responses={200: {"description": "The chart."}, **CHART_RESPONSES},
)
def get_lag_chart_svg(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> str:
    series, source = _series(
        session,
        version,
        tolerance=tolerance,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
    )
    return lag_svg(series, source)


@router.get(
    "/lag/chart.vl.json",
    summary="Chart: months China's best model trails the US's (Vega-Lite)",
    description=VEGA_LITE_DESCRIPTION,
    operation_id="get_lag_chart_vega_lite",
    response_model=dict[str, Any],
    responses=CHART_RESPONSES,
)
def get_lag_chart_vega_lite(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    series, source = _series(
        session,
        version,
        tolerance=tolerance,
        from_month=from_month,
        to_month=to_month,
        as_of=as_of,
    )
    return lag_vega_lite(series, source)
