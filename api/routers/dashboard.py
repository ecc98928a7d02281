"""The dashboard: one server-rendered page of the computed figures, and `/` pointing to it.

A page, not an API: it ignores query parameters it does not know (and says so), and a
browser that sent filters it cannot apply gets a page saying why, with the form to fix them.
Any other client gets the usual problem+json.
"""

import math
import re
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from api.charts.render import chart_svg
from api.charts.specs import arena_spec, funding_spec, lag_spec
from api.deps import SessionDep
from api.errors import InvalidQuery
from api.models.sources import SourcePublic
from api.models.totals import GroupField
from api.services.changes import data_changed_at
from api.services.citations import arena_citations, funding_citations, source_line
from api.services.filters import MONTH
from api.services.funding import funding_totals
from api.services.models import lag_series
from api.services.records import ListQuery, list_records
from api.services.scorecard import scorecard
from api.services.sources import SOURCES
from api.web.conditional import conditional_get
from api.web.dashboard_page import (
    STATIC,
    DashboardCharts,
    DashboardFilters,
    DashboardView,
    render_dashboard,
    render_filter_problem,
)
from api.web.data_version import DataVersionDep
from api.web.router import Router
from api.web.strict_query import ignores_unknown_query

router = Router(include_in_schema=False)
SOURCES_SHOWN = 1000
FILTERS = ("from", "to", "tolerance")
MAX_TOLERANCE = 1000
FormValue = Annotated[str | None, Query()]


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/static/dashboard.css")
def get_stylesheet() -> FileResponse:
    return FileResponse(STATIC / "dashboard.css", media_type="text/css")


def parse_filters(
    from_month: str | None, to_month: str | None, tolerance: str | None
) -> tuple[DashboardFilters, list[dict[str, str]]]:
    """The form's filters, and what is wrong with them; a blank field means 'not set'."""
    errors = []
    months = {"from": from_month or None, "to": to_month or None}
    for name, value in months.items():
        if value is not None and not re.match(MONTH, value):
            errors.append({"field": f"query.{name}", "reason": "a month is written YYYY-MM"})
    elo = 0.0
    if tolerance:
        try:
            elo = float(tolerance)
        except ValueError:
            elo = math.nan
        if not 0 <= elo <= MAX_TOLERANCE:  # NaN fails this too
            errors.append(
                {
                    "field": "query.tolerance",
                    "reason": f"a number of Elo points from 0 to {MAX_TOLERANCE}",
                }
            )
            elo = 0.0
    return DashboardFilters(months["from"], months["to"], elo), errors


@ignores_unknown_query
@router.get("/dashboard", response_class=HTMLResponse, dependencies=[Depends(conditional_get)])
def get_dashboard(
    request: Request,
    response: Response,
    session: SessionDep,
    version: DataVersionDep,
    from_month: Annotated[FormValue, Query(alias="from")] = None,
    to_month: Annotated[FormValue, Query(alias="to")] = None,
    tolerance: FormValue = None,
) -> Response:
    filters, errors = parse_filters(from_month, to_month, tolerance)
    if errors:
        if "text/html" not in request.headers.get("accept", ""):
            detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
            raise InvalidQuery(detail, errors=errors)
        return HTMLResponse(render_filter_problem(filters, errors), status_code=400)
    series = lag_series(
        session,
        data_version=version,
        tolerance=filters.tolerance,
        from_month=filters.from_month,
        to_month=filters.to_month,
    )
    totals = funding_totals(
        session, data_version=version, group_by=(GroupField.country, GroupField.level)
    )
    arena_source = source_line(arena_citations(session, series))
    funding_source = source_line(funding_citations(session, totals))
    sources = list_records(session, SOURCES, ListQuery(limit=SOURCES_SHOWN))
    view = DashboardView(
        filters=filters,
        data_version=version,
        data_changed_at=data_changed_at(session),
        series=series,
        arena_source=arena_source,
        totals=totals,
        funding_source=funding_source,
        scorecard=scorecard(session, data_version=version),
        sources=[SourcePublic.model_validate(item) for item in sources.items],
        charts=DashboardCharts(
            arena=chart_svg(arena_spec(series, arena_source)),
            lag=chart_svg(lag_spec(series, arena_source)),
            funding=chart_svg(funding_spec(totals, funding_source)),
        ),
        ignored=sorted(set(request.query_params) - set(FILTERS)),
    )
    return HTMLResponse(render_dashboard(view), headers=response.headers)  # with the ETag
