"""Charts of the model pillar: the Elo chart and the lag chart, as SVG, PNG and Vega-Lite.

Each is one Vega-Lite spec (api/charts/specs.py); the SVG and the PNG are rendered from it.

Included before the models router, so that `/arena-scores/chart.svg` is not taken for the
record key `chart.svg`.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from api.charts.render import chart_png, chart_svg
from api.charts.specs import arena_spec, lag_spec
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.lag import LagSeries
from api.services.citations import arena_citations, source_line
from api.services.models import lag_series
from api.web.data_version import DataVersionDep
from api.web.params import FromMonth, Tolerance, ToMonth
from api.web.record_routes import AsOf
from api.web.router import Router

router = Router(prefix="/v1/models", tags=["models"])


class SvgResponse(Response):
    media_type = "image/svg+xml"


PNG = "image/png"
BINARY = {"schema": {"type": "string", "format": "binary"}}


class PngResponse(Response):
    media_type = PNG


ArenaTolerance = Annotated[
    float,
    Query(
        ge=0,
        le=1000,
        allow_inf_nan=False,
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
PNG_DESCRIPTION = (
    "The same chart as a PNG image (`image/png`) at twice the SVG's size, for slides and "
    "documents; the SVG carries the text alternative."
)
VEGA_LITE_DESCRIPTION = (
    "A Vega-Lite v5 specification with the data inlined; `usermeta` holds the chart id, "
    "the data version, the parameters and the source line. Render it with vega-embed."
)


def _chart_input(
    session: Session,
    version: int,
    tolerance: float,
    from_month: str | None,
    to_month: str | None,
    as_of: datetime | None,
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


def lag_chart_input(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: Tolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> tuple[LagSeries, str]:
    """The lag series the chart draws, and its source line."""
    return _chart_input(session, version, tolerance, from_month, to_month, as_of)


def arena_chart_input(
    session: SessionDep,
    version: DataVersionDep,
    tolerance: ArenaTolerance = 0.0,
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    as_of: AsOf = None,
) -> tuple[LagSeries, str]:
    """As lag_chart_input; `tolerance` is accepted but does not change top scores."""
    return _chart_input(session, version, tolerance, from_month, to_month, as_of)


ChartInput = Callable[..., tuple[LagSeries, str]]


Spec = Callable[[LagSeries, str], dict[str, Any]]


def add_chart_routes(
    path: str, name: str, title: str, chart_input: ChartInput, spec: Spec, note: str = ""
) -> None:
    """The chart at `path` as SVG, PNG and its Vega-Lite spec, all from `spec`."""
    Chart = Annotated[tuple[LagSeries, str], Depends(chart_input)]

    def svg(chart: Chart) -> str:
        return chart_svg(spec(*chart))

    def png(chart: Chart, response: Response) -> PngResponse:
        return PngResponse(chart_png(spec(*chart)), headers=response.headers)  # with the ETag

    def vega_lite(chart: Chart) -> dict[str, Any]:
        return spec(*chart)

    image = {200: {"description": "The chart."}, **CHART_RESPONSES}
    router.get(
        f"{path}/chart.svg",
        summary=f"Chart: {title} (SVG)",
        description=SVG_DESCRIPTION + note,
        operation_id=f"get_{name}_chart_svg",
        response_class=SvgResponse,
        response_model=str,
        responses=image,
    )(svg)
    router.get(
        f"{path}/chart.png",
        summary=f"Chart: {title} (PNG)",
        description=PNG_DESCRIPTION,
        operation_id=f"get_{name}_chart_png",
        response_class=PngResponse,
        response_model=bytes,
        responses={**image, 200: {"description": "The chart.", "content": {PNG: BINARY}}},
    )(png)
    router.get(
        f"{path}/chart.vl.json",
        summary=f"Chart: {title} (Vega-Lite)",
        description=VEGA_LITE_DESCRIPTION,
        operation_id=f"get_{name}_chart_vega_lite",
        response_model=dict[str, Any],
        responses=CHART_RESPONSES,
    )(vega_lite)


add_chart_routes(
    "/arena-scores",
    "arena",
    "the US's and China's top Arena score by month",
    arena_chart_input,
    arena_spec,
)
add_chart_routes(
    "/lag",
    "lag",
    "months China's best model trails the US's",
    lag_chart_input,
    lag_spec,
    " Censored months (lower bounds) are open up-triangles on dashed segments.",
)
