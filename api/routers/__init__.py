"""HTTP routers: parse, call one service, return a response model.

`AREAS` lists each area of the API once: its router (whose tag is the area's) and the
description of that tag, in the order of the OpenAPI document. api/main.py mounts them under
/v1 and documents their tags; tests/api/test_kinds.py walks them with the record kinds.
To add an area (a pillar, say): its router module here, and one line in `AREAS`.
"""

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from api.routers import (
    assessments,
    changes,
    charts,
    compute,
    diffusion,
    funding,
    indicators,
    models,
    observations,
    regulation,
    scorecard,
    sources,
    talent,
    timeline,
)


@dataclass(frozen=True)
class Area:
    router: APIRouter
    description: str | None  # of the router's tag; None: the tag is described by another area

    @property
    def tag(self) -> str:
        return str(self.router.tags[0])


AREAS = (
    Area(charts.router, None),  # before models: /arena-scores/chart.svg is no record key
    Area(funding.router, "Government and VC funding (pillar)."),
    Area(regulation.router, "Regulation (pillar)."),
    Area(talent.router, "Talent (pillar)."),
    Area(diffusion.router, "Diffusion (pillar)."),
    Area(models.router, "Model performance and the Elo lag (pillar)."),
    Area(compute.router, "Compute (pillar)."),
    Area(sources.router, "Who said it."),
    Area(indicators.router, "Any numeric series, and its observations."),
    Area(observations.router, "Every value of every indicator."),
    Area(assessments.router, "Key judgments with ICD 203 likelihoods."),
    Area(changes.router, "Every write, in order: sync incrementally."),
    Area(scorecard.router, "Who leads each pillar, computed from the data."),
    Area(timeline.router, "Dated events the report cites, with their location."),
)
V1_ROUTERS = [area.router for area in AREAS]
# Health and metrics are mounted outside /v1, with no read checks.
TAGS: list[dict[str, Any]] = [
    *({"name": area.tag, "description": area.description} for area in AREAS if area.description),
    {"name": "health", "description": "Liveness and readiness."},
]
