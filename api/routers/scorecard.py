"""The scorecard: who leads each pillar, and why."""

from typing import Any

from fastapi import Request

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.assessments import AssessmentScope
from api.models.base import Pillar
from api.models.scorecard import PillarScore, Scorecard
from api.services.scorecard import (
    SCORECARD_CSV_COLUMNS,
    pillar_row,
    scorecard,
    scorecard_rows,
)
from api.web.conditional import cache_headers, wants_csv
from api.web.csv_export import csv_response
from api.web.csv_routes import add_csv_twin
from api.web.data_version import DataVersionDep
from api.web.record_routes import AsOf
from api.web.router import Router
from api.web.strict_query import negotiates_csv

router = Router(prefix="/v1/scorecard", tags=["scorecard"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}


@router.get(
    "",
    summary="Who leads each pillar, with indicators, assessment and the rules applied",
    description="Per pillar: the headline indicators (US and China values, ratio, who leads "
    "each), the verdict with the rule that reached it, and the report's assessment with its "
    "likelihood. The bottom line is read off the verdicts. As CSV, one row per pillar: "
    "`/v1/scorecard.csv`, `Accept: text/csv` or `format=csv`.",
    operation_id="get_scorecard",
    response_model=Scorecard,
    responses=RESPONSES,
)
@negotiates_csv
def get_scorecard(
    request: Request, session: SessionDep, version: DataVersionDep, as_of: AsOf = None
) -> Any:
    card = scorecard(session, data_version=version, as_of=as_of)
    if wants_csv(request):
        etag = getattr(request.state, "etag", None)
        headers = cache_headers(etag) if etag else {}
        return csv_response(SCORECARD_CSV_COLUMNS, scorecard_rows(card), headers)
    return card


add_csv_twin(
    router,
    "",
    get_scorecard,
    operation_id="get_scorecard_csv",
    summary="The scorecard as CSV, one row per pillar",
    columns=SCORECARD_CSV_COLUMNS,
    rows="pillar",
)


@negotiates_csv
def get_pillar_scorecard(
    request: Request,
    session: SessionDep,
    version: DataVersionDep,
    pillar: Pillar,
    as_of: AsOf = None,
) -> Any:
    card = scorecard(session, data_version=version, as_of=as_of)
    wanted = AssessmentScope(pillar.value)
    score = next(p for p in card.pillars if p.pillar is wanted)
    if wants_csv(request):
        etag = getattr(request.state, "etag", None)
        headers = cache_headers(etag) if etag else {}
        return csv_response(SCORECARD_CSV_COLUMNS, [pillar_row(score)], headers)
    return score


# The twin first: `/{pillar}` would take "funding.csv" for a pillar's name.
add_csv_twin(
    router,
    "/{pillar}",
    get_pillar_scorecard,
    operation_id="get_pillar_scorecard_csv",
    summary="One pillar's scorecard as CSV, one row",
    columns=SCORECARD_CSV_COLUMNS,
    rows="pillar: the one asked for",
)
router.get(
    "/{pillar}",
    summary="One pillar's scorecard",
    description="The scorecard's entry for one pillar: funding, regulation, talent, "
    "diffusion, models or compute. As CSV, one row: `/v1/scorecard/{pillar}.csv`, "
    "`Accept: text/csv` or `format=csv`.",
    operation_id="get_pillar_scorecard",
    response_model=PillarScore,
    responses=RESPONSES,
)(get_pillar_scorecard)
