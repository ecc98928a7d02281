"""Talent pillar: record kinds."""

from api.models.base import Pillar
from api.models.talent import (
    NeuripsInstitution,
    NeuripsInstitutionCreate,
    NeuripsInstitutionPublic,
)
from api.services import filters
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.records import RecordKind

NEURIPS_INSTITUTIONS = RecordKind(
    name="neurips_institution",
    plural="neurips_institutions",
    model=NeuripsInstitution,
    public=NeuripsInstitutionPublic,
    create=NeuripsInstitutionCreate,
    filters=(
        filters.country(),
        filters.text("sector", "sector", "sector, e.g. `Academia`"),
        filters.source(),
    ),
    sort_fields=("key", "entity", "papers", "rank"),
    default_sort=("-papers", "key"),
)
TALENT_INDICATORS = pillar_indicators(Pillar.talent)
TALENT_OBSERVATIONS = pillar_observations(Pillar.talent)
