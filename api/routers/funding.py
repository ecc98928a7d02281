"""Funding pillar: government budgets, guidance funds, semiconductor funds, private capital."""

from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES, InvalidQuery
from api.models.base import Status
from api.models.comparisons import ComparisonList, FundingComparison
from api.models.funding import FundingLevel, FundingMeasure
from api.models.totals import FundingTotals, GroupField, TotalsGroup
from api.services.comparisons import BY_KEY, comparison_list, funding_comparison
from api.services.funding import (
    FUNDING_INDICATORS,
    FUNDING_OBSERVATIONS,
    FUNDING_RECORDS,
    funding_totals,
)
from api.services.imports import import_funding
from api.services.kinds import FUNDING_IMPORT
from api.services.totals import DEFAULT_STATUSES
from api.web.conditional import cache_headers, wants_csv
from api.web.csv_export import csv_response
from api.web.csv_routes import add_csv_twin
from api.web.data_version import DataVersionDep
from api.web.imports import add_import_route
from api.web.record_routes import AsOf, add_record_routes
from api.web.router import Router
from api.web.strict_query import negotiates_csv

router = Router(prefix="/v1/funding", tags=["funding"])


E = TypeVar("E", GroupField, Status)
STATUS_WORD = "(" + "|".join(s.value for s in Status) + ")"
STATUS_LIST = f"^{STATUS_WORD}(,{STATUS_WORD})*$"
GROUP_WORD = "(" + "|".join(g.value for g in GroupField) + ")"
KEY_LIST = r"^[a-z0-9][a-z0-9.\-]*(,[a-z0-9][a-z0-9.\-]*)*$"
TOTALS_CSV_COLUMNS = [
    "measure",
    "period",
    "per_year",
    "country",
    "level",
    "status",
    "amount_usd",
    "amount_usd_max",
    "bound",
    "count",
    "record_keys",
    "conversions",
    "annualized",
]
RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag in If-None-Match."},
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}


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


def _csv_row(group: TotalsGroup) -> dict[str, Any]:
    row = group.model_dump()
    row["record_keys"] = " ".join(group.record_keys)
    row["conversions"] = "; ".join(
        f"{c.key}: {c.amount:.0f} {c.currency} at {c.fx_rate} USD/{c.currency} "
        f"({c.fx_rate_date or 'undated'}, {c.rate_basis})"
        for c in group.conversions
    )
    row["annualized"] = "; ".join(
        f"{a.key}: over {a.span_start}/{a.span_end} ({a.years} years)" for a in group.annualized
    )
    return row


TOTALS_DESCRIPTION = """\
Sums of USD amounts that add only like with like: every group is one `measure` and one
`period` (plus `country`, `level` or `status` as asked); there is no total across groups.
Each group says its `bound` (exact, at_least, at_most, approximate, range, unbounded), every
conversion (rate, date, where the rate comes from) and how annualized members were spread.
Records left out are in `excluded`, with the rule and reason. As CSV, one row per group:
`/v1/funding/totals.csv`, `Accept: text/csv` or `format=csv`.

The report's questions, one request each:
- US federal civilian AI budget FY2025 ("core" + "cross-cut", excluding DoD and DARPA):
  `/v1/funding/totals?keys=us-federal-ai-core-cross-cut-fy2025`
- China's guidance funds per year (NBER $184B over 2013-2023):
  `/v1/funding/totals?level=government_guidance_funds&measure=period_spending&annualize=true&from=2013&to=2023`
- US federal AI and IT R&D by year:
  `/v1/funding/totals?country=US&level=central_government&measure=annual_budget`
- Side by side, with the report's judgments and caveats: `/v1/funding/comparisons`.
"""


@router.get(
    "/totals",
    summary="Funding totals in USD by measure and period (and country, level, status)",
    description=TOTALS_DESCRIPTION,
    operation_id="get_funding_totals",
    response_model=FundingTotals,
    responses=RESPONSES,
)
@negotiates_csv
def get_funding_totals(
    request: Request,
    session: SessionDep,
    version: DataVersionDep,
    group_by: Annotated[
        str,
        Query(
            description="Comma-separated: country, level, status (measure and period are "
            "always keys).",
            max_length=60,
            pattern=f"^{GROUP_WORD}(,{GROUP_WORD})*$",
        ),
    ] = "country,level",
    annualize: Annotated[
        bool,
        Query(
            description="Spread amounts over the span their source gives, as a rate per "
            "calendar year."
        ),
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
        str | None,
        Query(
            pattern=r"^[A-Z]{2}$",
            description="ISO 3166 alpha-2 code; includes its subdivisions (US: US-NY, ...).",
        ),
    ] = None,
    level: Annotated[FundingLevel | None, Query(description="Funding level.")] = None,
    measure: Annotated[FundingMeasure | None, Query(description="Only this measure.")] = None,
    keys: Annotated[
        str | None,
        Query(
            description="Comma-separated record keys: only these records. A key with no "
            "current record (as of `as_of`) is a 400 naming it.",
            max_length=2000,
            pattern=KEY_LIST,
        ),
    ] = None,
    from_year: Annotated[
        int | None, Query(alias="from", ge=1900, le=2200, description="First year counted.")
    ] = None,
    to_year: Annotated[
        int | None, Query(alias="to", ge=1900, le=2200, description="Last year counted.")
    ] = None,
    as_of: AsOf = None,
) -> Any:
    if from_year is not None and to_year is not None and from_year > to_year:
        raise InvalidQuery(
            f"from ({from_year}) is after to ({to_year})",
            errors=[{"field": "query.from", "reason": "after query.to"}],
        )
    totals = funding_totals(
        session,
        data_version=version,
        group_by=_parse_list(group_by, GroupField, "group_by"),
        annualize=annualize,
        statuses=_parse_list(status, Status, "status") if status else DEFAULT_STATUSES,
        country=country,
        level=level,
        measure=measure,
        keys=list(dict.fromkeys(keys.split(","))) if keys else None,
        from_year=from_year,
        to_year=to_year,
        as_of=as_of,
    )
    if wants_csv(request):
        etag = getattr(request.state, "etag", None)
        headers = cache_headers(etag) if etag else {}
        return csv_response(TOTALS_CSV_COLUMNS, [_csv_row(g) for g in totals.groups], headers)
    return totals


add_csv_twin(
    router,
    "/totals",
    get_funding_totals,
    operation_id="get_funding_totals_csv",
    summary="Funding totals as CSV, one row per group",
    columns=TOTALS_CSV_COLUMNS,
    rows="group",
)


COMPARISONS_DESCRIPTION = "The report's own funding comparisons, each one request: " + "; ".join(
    f"`{key}` ({c.title})" for key, c in BY_KEY.items()
)


@router.get(
    "/comparisons",
    summary="The report's funding comparisons",
    description=COMPARISONS_DESCRIPTION,
    operation_id="get_funding_comparisons",
    response_model=ComparisonList,
    responses=RESPONSES,
)
def get_funding_comparisons() -> ComparisonList:
    return comparison_list()


@router.get(
    "/comparisons/{key}",
    summary="One of the report's funding comparisons, side by side with its caveats",
    description=COMPARISONS_DESCRIPTION
    + ". Each side is a totals query (its `query`), with its figure, bound and records; the "
    "ratio US/China is a range, given only when both sides are one measure and money for "
    "one year.",
    operation_id="get_funding_comparison",
    response_model=FundingComparison,
    responses={**RESPONSES, 404: ERROR_RESPONSES[404]},
)
def get_funding_comparison(
    session: SessionDep,
    version: DataVersionDep,
    key: Annotated[
        str,
        Path(
            description="Comparison key.",
            pattern=r"^[a-z0-9][a-z0-9\-]*$",
            max_length=100,
            openapi_examples={k: {"value": k} for k in BY_KEY},
        ),
    ],
    as_of: AsOf = None,
) -> FundingComparison:
    return funding_comparison(session, key, data_version=version, as_of=as_of)


add_import_route(
    router,
    "/records/import",
    what="funding records",
    columns=FUNDING_IMPORT.columns.text(),
    operation_id="import_funding_records",
    importer=lambda session, body, actor: import_funding(session, body, actor=actor),
)
add_record_routes(router, "/records", FUNDING_RECORDS)
add_record_routes(router, "/indicators", FUNDING_INDICATORS)
add_record_routes(router, "/observations", FUNDING_OBSERVATIONS, mrv=True)
