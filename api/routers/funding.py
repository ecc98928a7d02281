"""Funding pillar: government budgets, guidance funds, semiconductor funds, private capital."""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES, InvalidQuery
from api.models.base import Status
from api.models.totals import FundingTotals, GroupField
from api.services.funding import (
    FUNDING_INDICATORS,
    FUNDING_OBSERVATIONS,
    FUNDING_RECORDS,
    funding_totals,
)
from api.services.imports import import_funding
from api.services.totals import DEFAULT_STATUSES
from api.web.data_version import DataVersionDep
from api.web.imports import add_import_route
from api.web.record_routes import AsOf, add_record_routes

router = APIRouter(prefix="/v1/funding", tags=["funding"])


E = TypeVar("E", GroupField, Status)
STATUS_WORD = "(" + "|".join(s.value for s in Status) + ")"
STATUS_LIST = f"^{STATUS_WORD}(,{STATUS_WORD})*$"


def _parse_list(raw: str, allowed: type[E], field: str) -> list[E]:
    names = [part.strip() for part in raw.split(",") if part.strip()]
    valid = {member.value for member in allowed}
    wrong = [name for name in names if name not in valid]
    if wrong or not names:
        raise InvalidQuery(
            f"{field}: unknown value(s) {', '.join(wrong) or '(none)'}; "
            f"allowed: {', '.join(sorted(valid))}",
            errors=[{"field": f"query.{field}", "reason": f"allowed: {', '.join(sorted(valid))}"}],
        )
    return [allowed(name) for name in dict.fromkeys(names)]


@router.get(
    "/totals",
    summary="Funding totals in USD by country, level, year and status",
    description="Sums USD amounts with the contributing record keys and a count per group. "
    "Announced and target amounts are left out unless `status` asks for them; records the "
    "source says overlap are counted once; `excluded` says what was left out and why.",
    operation_id="get_funding_totals",
    response_model=FundingTotals,
    responses={
        304: {"description": "Not modified since the ETag in If-None-Match."},
        400: ERROR_RESPONSES[400],
        503: ERROR_RESPONSES[503],
    },
)
def get_funding_totals(
    session: SessionDep,
    version: DataVersionDep,
    group_by: Annotated[
        str,
        Query(
            description="Comma-separated: country, level, year, status.",
            max_length=60,
            pattern=r"^(country|level|year|status)(,(country|level|year|status))*$",
        ),
    ] = "country,level",
    annualize: Annotated[
        bool, Query(description="Spread multi-year totals over their calendar years.")
    ] = False,
    status: Annotated[
        str | None,
        Query(
            description="Comma-separated statuses to count. Default: actual, budgeted, "
            "estimate, projected (announced and target only when named).",
            max_length=120,
            pattern=STATUS_LIST,
        ),
    ] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2 code.")
    ] = None,
    level: Annotated[
        str | None, Query(min_length=1, max_length=40, description="Funding level.")
    ] = None,
    from_year: Annotated[
        int | None, Query(alias="from", ge=1900, le=2200, description="First year counted.")
    ] = None,
    to_year: Annotated[
        int | None, Query(alias="to", ge=1900, le=2200, description="Last year counted.")
    ] = None,
    as_of: AsOf = None,
) -> FundingTotals:
    return funding_totals(
        session,
        data_version=version,
        group_by=_parse_list(group_by, GroupField, "group_by"),
        annualize=annualize,
        statuses=_parse_list(status, Status, "status") if status else DEFAULT_STATUSES,
        country=country,
        level=level,
        from_year=from_year,
        to_year=to_year,
        as_of=as_of,
    )


add_import_route(
    router,
    "/records/import",
    what="funding records",
    columns="program, country, level, amount, currency, status, source_location; optional "
    "key, amount_usd, usd_converted, fx_rate, fx_rate_date, amount_basis, qualifier, "
    "period_start, period_end, overlaps_with, overlap_reason, source_key, cited_source, note",
    operation_id="import_funding_records",
    importer=lambda session, body, actor: import_funding(session, body, actor=actor),
)
add_record_routes(router, "/records", FUNDING_RECORDS)
add_record_routes(router, "/indicators", FUNDING_INDICATORS)
add_record_routes(router, "/observations", FUNDING_OBSERVATIONS, mrv=True)
