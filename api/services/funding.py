"""Funding pillar: record kinds, and the inputs of totals and comparisons."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from api.errors import InvalidQuery
from api.models.base import Pillar, Status
from api.models.funding import (
    FundingLevel,
    FundingMeasure,
    FundingRecord,
    FundingRecordCreate,
    FundingRecordPublic,
)
from api.models.indicators import Observation
from api.models.totals import FundingTotals, GroupField
from api.services import filters
from api.services.indicators import pillar_indicators, pillar_observations
from api.services.records import RecordKind
from api.services.revisions import current_filter
from api.services.totals import DEFAULT_STATUSES, FundingItem, ReferenceRate, compute_totals

FX_INDICATOR_PREFIX = "fx-usd-per-"  # fx-usd-per-cny: USD per unit of CNY, FRED-style

FUNDING_RECORDS = RecordKind(
    name="funding_record",
    plural="funding_records",
    model=FundingRecord,
    public=FundingRecordPublic,
    create=FundingRecordCreate,
    filters=(
        filters.country(),
        filters.choice("level", "level", "Level of the funder", FundingLevel),
        filters.choice("measure", "measure", "What the amount measures", FundingMeasure),
        filters.status(),
        filters.text("currency", "currency", "ISO 4217 currency"),
        filters.source(),
        *filters.date_range("period_start", "period_end"),
    ),
    sort_fields=(
        "key",
        "country",
        "level",
        "measure",
        "amount",
        "amount_usd",
        "period_start",
        "period_end",
    ),
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
            measure=r.measure,
            status=r.status,
            qualifier=r.qualifier,
            amount=r.amount,
            amount_max=r.amount_max,
            currency=r.currency,
            amount_usd=r.amount_usd,
            amount_usd_max=r.amount_usd_max,
            usd_converted=r.usd_converted,
            fx_rate=r.fx_rate,
            fx_rate_date=r.fx_rate_date,
            fx_rate_source=r.fx_rate_source,
            amount_basis=r.amount_basis,
            period_start=r.period_start,
            period_end=r.period_end,
            annualize_start=r.annualize_start,
            annualize_end=r.annualize_end,
            overlaps_with=r.overlaps_with,
            overlap_kind=r.overlap_kind,
        )
        for r in session.exec(statement)
    ]


def reference_rates(session: Session, as_of: datetime | None = None) -> list[ReferenceRate]:
    """Every dated observation of an `fx-usd-per-<currency>` indicator."""
    statement = select(Observation).where(
        current_filter(Observation, as_of),
        col(Observation.retired).is_(False),
        col(Observation.indicator_key).startswith(FX_INDICATOR_PREFIX),
    )
    return [
        ReferenceRate(
            currency=row.indicator_key.removeprefix(FX_INDICATOR_PREFIX).upper(),
            usd_per_unit=row.value,
            rate_date=when,
            observation=row.key,
            source_location=row.source_location,
        )
        for row in session.exec(statement)
        if (when := row.period_end or row.period_start) is not None
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
    measure: FundingMeasure | None = None,
    keys: Sequence[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    as_of: datetime | None = None,
) -> FundingTotals:
    items = funding_items(session, as_of)
    if keys is not None:
        _refuse_unknown_keys(keys, {item.key for item in items}, as_of)
    result = compute_totals(
        items,
        group_by=group_by,
        annualize=annualize,
        statuses=statuses,
        country=country,
        level=level,
        measure=measure,
        keys=keys,
        from_year=from_year,
        to_year=to_year,
        rates=reference_rates(session, as_of),
    )
    result.data_version = data_version
    return result


def _refuse_unknown_keys(keys: Sequence[str], known: set[str], as_of: datetime | None) -> None:
    """A total of named records that quietly left out a misspelt one would be quoted as the
    total of them all."""
    unknown = [key for key in keys if key not in known]
    if unknown:
        when = f" as of {as_of.isoformat()}" if as_of is not None else ""
        named = ", ".join(repr(key[:80]) for key in unknown[:20])
        reason = f"no current funding record with key {named}{when}"
        raise InvalidQuery(reason, errors=[{"field": "query.keys", "reason": reason}])
