"""Funding totals: sums of USD amounts by country, level, year and status. Pure functions.

Rules, all driven by the records' own data:
- announced and target amounts count only when `statuses` asks for them;
- a record that `overlaps_with` another counted record is not counted (the other already
  includes its money); the chain is followed, so a part of a part is caught too;
- a record without a USD amount is left out and listed, never guessed;
- `per_year` amounts are annual rates: each year of the period gets the full rate;
- with `annualize`, a `total` spanning more than a year is spread over its calendar years
  in proportion to days; otherwise it sits in one group labelled by its span. A period of
  a year or less (a fiscal year, say) belongs to the calendar year it ends in.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from api.models.base import Status
from api.models.totals import (
    Conversion,
    Exclusion,
    FundingTotals,
    GroupField,
    TotalsGroup,
    TotalsParameters,
)

METHOD = "funding_totals"
METHOD_VERSION = "1"
DEFINITION = (
    "Sum of USD amounts by group. Announced and target amounts only when asked for; a record "
    "that overlaps a counted record is left out; per_year amounts count once per year; with "
    "annualize, multi-year totals are spread over calendar years by days."
)
DEFAULT_STATUSES = (Status.actual, Status.budgeted, Status.estimate, Status.projected)
ONE_YEAR_DAYS = 366


@dataclass(frozen=True)
class FundingItem:
    key: str
    country: str
    level: str
    status: str
    amount: float
    currency: str
    amount_usd: float | None
    usd_converted: bool
    fx_rate: float | None
    fx_rate_date: date | None
    amount_basis: str
    period_start: date | None
    period_end: date | None
    overlaps_with: str | None


@dataclass(frozen=True)
class Share:
    """Part of one record's USD amount attributed to one year label."""

    item: FundingItem
    year: str
    amount_usd: float


def _overlap_chains(items: Sequence[FundingItem]) -> dict[str, str | None]:
    """Parent of every record, including records outside the selection."""
    return {item.key: item.overlaps_with for item in items}


def _covering(key: str, parents: dict[str, str | None], selected: set[str]) -> str | None:
    """The outermost selected record whose money includes this one's (it is the one counted)."""
    seen = {key}
    covering = None
    target = parents.get(key)
    while target is not None and target not in seen:
        if target in selected:
            covering = target
        seen.add(target)
        target = parents.get(target)
    return covering


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _shares(item: FundingItem, usd: float, annualize: bool) -> list[Share]:
    start, end = item.period_start, item.period_end
    if start is None or end is None:
        return [Share(item, "unknown", usd)]
    years = range(start.year, end.year + 1)
    if item.amount_basis == "per_year":
        return [Share(item, str(year), usd) for year in years]
    if _days(start, end) <= ONE_YEAR_DAYS:
        return [Share(item, str(end.year), usd)]
    if not annualize:
        return [Share(item, f"{start.year}/{end.year}", usd)]
    total_days = _days(start, end)
    shares = []
    for year in years:
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        shares.append(Share(item, str(year), usd * _days(first, last) / total_days))
    return shares


def _in_year_range(year: str, from_year: int | None, to_year: int | None) -> bool:
    if from_year is None and to_year is None:
        return True
    if year == "unknown":
        return False
    first, _, last = year.partition("/")
    low, high = int(first), int(last or first)
    return (from_year is None or high >= from_year) and (to_year is None or low <= to_year)


def compute_totals(
    items: Iterable[FundingItem],
    *,
    group_by: Sequence[GroupField] = (GroupField.country, GroupField.level),
    annualize: bool = False,
    statuses: Sequence[Status] = DEFAULT_STATUSES,
    country: str | None = None,
    level: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> FundingTotals:
    everything = list(items)
    parents = _overlap_chains(everything)
    wanted = {str(s) for s in statuses}
    excluded: list[Exclusion] = []
    selected: list[FundingItem] = []
    for item in everything:
        if (country and item.country != country) or (level and item.level != level):
            continue
        if item.status not in wanted:
            excluded.append(
                Exclusion(
                    key=item.key, reason=f"status {item.status} is not counted unless asked for"
                )
            )
            continue
        selected.append(item)
    selected_keys = {item.key for item in selected}
    shares: list[Share] = []
    for item in selected:
        cover = _covering(item.key, parents, selected_keys)
        if cover is not None:
            excluded.append(
                Exclusion(key=item.key, reason=f"already included in {cover} (overlaps_with)")
            )
            continue
        if item.amount_usd is None:
            excluded.append(
                Exclusion(key=item.key, reason="no USD amount from the source and no FX rate")
            )
            continue
        for share in _shares(item, item.amount_usd, annualize):
            if _in_year_range(share.year, from_year, to_year):
                shares.append(share)
    groups = _group(shares, group_by)
    return FundingTotals(
        method=METHOD,
        method_version=METHOD_VERSION,
        definition=DEFINITION,
        parameters=TotalsParameters(
            group_by=list(group_by),
            annualize=annualize,
            statuses=list(statuses),
            country=country,
            level=level,
            from_year=from_year,
            to_year=to_year,
        ),
        groups=groups,
        total_usd=sum(g.amount_usd for g in groups),
        excluded=sorted(excluded, key=lambda e: e.key),
    )


def _group(shares: Sequence[Share], group_by: Sequence[GroupField]) -> list[TotalsGroup]:
    buckets: dict[tuple[str, ...], list[Share]] = defaultdict(list)
    for share in shares:
        values = {
            GroupField.country: share.item.country,
            GroupField.level: share.item.level,
            GroupField.year: share.year,
            GroupField.status: share.item.status,
        }
        buckets[tuple(values[field] for field in group_by)].append(share)
    groups = []
    for labels, members in sorted(buckets.items()):
        keys = sorted({m.item.key for m in members})
        converted = {
            m.item.key: Conversion(
                key=m.item.key,
                currency=m.item.currency,
                amount=m.item.amount,
                fx_rate=m.item.fx_rate,
                fx_rate_date=m.item.fx_rate_date,
            )
            for m in members
            if m.item.usd_converted
        }
        groups.append(
            TotalsGroup(
                **{str(field): label for field, label in zip(group_by, labels, strict=True)},
                amount_usd=round(sum(m.amount_usd for m in members), 2),
                count=len(keys),
                record_keys=keys,
                converted=[converted[k] for k in sorted(converted)],
            )
        )
    return groups
