"""Funding pillar: record kinds (totals come with their own module)."""

from api.models.base import Pillar
from api.models.funding import FundingRecord, FundingRecordPublic
from api.services import filters
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.records import RecordKind

FUNDING_RECORDS = RecordKind(
    name="funding_record",
    plural="funding_records",
    model=FundingRecord,
    public=FundingRecordPublic,
    filters=(
        filters.country(),
        filters.one_of("level", "level", "central_government, subnational, ..."),
        filters.status(),
        filters.text("currency", "currency", "ISO 4217 currency"),
        filters.source(),
        *filters.date_range("period_start", "period_end"),
    ),
    sort_fields=("key", "country", "level", "amount", "amount_usd", "period_start", "period_end"),
    default_sort=("country", "period_start", "key"),
)
FUNDING_INDICATORS = pillar_indicators(Pillar.funding)
FUNDING_OBSERVATIONS = pillar_observations(Pillar.funding)
