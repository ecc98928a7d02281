"""Assessments: the record kind."""

from api.models.assessments import (
    Assessment,
    AssessmentCreate,
    AssessmentPublic,
    AssessmentScope,
    Confidence,
    Likelihood,
    Side,
)
from api.services import filters
from api.services.prepare import with_probability
from api.services.records import RecordKind

ASSESSMENTS = RecordKind(
    name="assessment",
    plural="assessments",
    model=Assessment,
    public=AssessmentPublic,
    create=AssessmentCreate,
    prepare=with_probability,
    filters=(
        filters.choice("pillar", "pillar", "Pillar, or overall", AssessmentScope),
        filters.choice("likelihood", "likelihood", "ICD 203 term", Likelihood),
        filters.choice("favours", "favours", "Side the judgment favours", Side),
        filters.choice("confidence", "confidence", "Confidence", Confidence),
        filters.source(),
    ),
    sort_fields=("key", "pillar", "probability_min", "probability_max"),
)
