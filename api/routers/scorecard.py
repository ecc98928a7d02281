"""The scorecard: who leads each pillar, and why."""

from typing import Any

from fastapi import APIRouter

from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.models.assessments import AssessmentScope
from api.models.base import Pillar
from api.models.scorecard import PillarScore, Scorecard
from api.services.scorecard import scorecard
from api.web.data_version import DataVersionDep
from api.web.record_routes import AsOf

router = APIRouter(prefix="/v1/scorecard", tags=["scorecard"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag in If-None-Match."},
    400: ERROR_RESPONSES[400],
    503: ERROR_RESPONSES[503],
}


@router.get(
    "",
    summary="Who leads each pillar, with indicators, assessment and the rules applied",
    operation_id="get_scorecard",
    response_model=Scorecard,
    responses=RESPONSES,
)
def get_scorecard(session: SessionDep, version: DataVersionDep, as_of: AsOf = None) -> Scorecard:
    return scorecard(session, data_version=version, as_of=as_of)


@router.get(
    "/{pillar}",
    summary="One pillar's scorecard",
    operation_id="get_pillar_scorecard",
    response_model=PillarScore,
    responses=RESPONSES,
)
def get_pillar_scorecard(
    session: SessionDep, version: DataVersionDep, pillar: Pillar, as_of: AsOf = None
) -> PillarScore:
    card = scorecard(session, data_version=version, as_of=as_of)
    wanted = AssessmentScope(pillar.value)
    return next(p for p in card.pillars if p.pillar is wanted)
