"""Assessments: the record kind."""

from api.models.assessments import Assessment, AssessmentCreate, AssessmentPublic
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
        filters.one_of("pillar", "pillar", "Pillar slug, or overall"),
        filters.text("likelihood", "likelihood", "ICD 203 term, e.g. `very likely`"),
        filters.text("favours", "favours", "side: US, CN, contested or neither"),
        filters.one_of("confidence", "confidence", "low, moderate or high"),
        filters.source(),
    ),
    sort_fields=("key", "pillar", "probability_min", "probability_max"),
)
