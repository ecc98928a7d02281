"""The dashboard: one server-rendered page of the computed figures, and `/` pointing to it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BeforeValidator, Field

from api.deps import SessionDep
from api.models.sources import SourcePublic
from api.models.totals import GroupField
from api.services.charts import arena_citations, funding_citations, source_line
from api.services.filters import MONTH
from api.services.funding import funding_totals
from api.services.models import lag_series
from api.services.records import ListQuery, list_records
from api.services.scorecard import scorecard
from api.services.sources import SOURCES
from api.web.conditional import conditional_get
from api.web.dashboard_page import DashboardFilters, DashboardView, render_dashboard
from api.web.data_version import DataVersionDep

router = APIRouter(include_in_schema=False)
SOURCES_SHOWN = 1000


def _blank_is_none(value: object) -> object:
    """A plain GET form sends empty fields as `name=`; they mean 'not set'."""
    return None if value == "" else value


Month = Annotated[str, Field(pattern=MONTH)]
FormMonth = Annotated[Month | None, BeforeValidator(_blank_is_none)]
FormTolerance = Annotated[
    Annotated[float, Field(ge=0, le=1000)] | None,
    BeforeValidator(_blank_is_none),
    Query(description="Elo points a US score may fall short and still match."),
]


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/dashboard", response_class=HTMLResponse, dependencies=[Depends(conditional_get)])
def get_dashboard(
    session: SessionDep,
    version: DataVersionDep,
    from_month: Annotated[FormMonth, Query(alias="from")] = None,
    to_month: Annotated[FormMonth, Query(alias="to")] = None,
    tolerance: FormTolerance = None,
) -> str:
    filters = DashboardFilters(from_month, to_month, tolerance or 0.0)
    series = lag_series(
        session,
        data_version=version,
        tolerance=filters.tolerance,
        from_month=from_month,
        to_month=to_month,
    )
    totals = funding_totals(
        session, data_version=version, group_by=(GroupField.country, GroupField.level)
    )
    sources = list_records(session, SOURCES, ListQuery(limit=SOURCES_SHOWN))
    view = DashboardView(
        filters=filters,
        data_version=version,
        series=series,
        arena_source=source_line(arena_citations(session, series)),
        totals=totals,
        funding_source=source_line(funding_citations(session, totals)),
        scorecard=scorecard(session, data_version=version),
        sources=[SourcePublic.model_validate(item) for item in sources.items],
    )
    return render_dashboard(view)
