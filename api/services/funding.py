"""Funding pillar: record kinds (totals come with their own module)."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from api.models.base import Pillar, Status
from api.models.funding import FundingRecord, FundingRecordCreate, FundingRecordPublic
from api.models.totals import FundingTotals, GroupField
from api.services import filters
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.records import RecordKind
from api.services.revisions import current_filter
from api.services.totals import DEFAULT_STATUSES, FundingItem, compute_totals

FUNDING_RECORDS = RecordKind(
    name="funding_record",
    plural="funding_records",
    model=FundingRecord,
    public=FundingRecordPublic,
    create=FundingRecordCreate,
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


def funding_items(session: Session, as_of: datetime | None = None) -> list[FundingItem]:
    statement = select(FundingRecord).where(
        current_filter(FundingRecord, as_of), col(FundingRecord.retired).is_(False)
    )
    return [
        FundingItem(
            key=r.key,
            country=r.country,
            level=r.level,
            status=r.status,
            amount=r.amount,
            currency=r.currency,
            amount_usd=r.amount_usd,
            usd_converted=r.usd_converted,
            fx_rate=r.fx_rate,
            fx_rate_date=r.fx_rate_date,
            amount_basis=r.amount_basis,
            period_start=r.period_start,
            period_end=r.period_end,
            overlaps_with=r.overlaps_with,
        )
        for r in session.exec(statement)
    ]


def funding_totals(
    session: Session,
    *,
    data_version: int,
    group_by: Sequence[GroupField],
    annualize: bool = False,
    statuses: Sequence[Status] = DEFAULT_STATUSES,
    country: str | None = None,
    level: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    as_of: datetime | None = None,
) -> FundingTotals:
    result = compute_totals(
        funding_items(session, as_of),
        group_by=group_by,
        annualize=annualize,
        statuses=statuses,
        country=country,
        level=level,
        from_year=from_year,
        to_year=to_year,
    )
    result.data_version = data_version
    return result
