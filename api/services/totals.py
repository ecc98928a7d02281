"""Funding totals: sums that add only like with like. Pure functions.

A group adds records of one `measure` and one `period` (plus the caller's keys: country,
level, status); there is no total across groups. The rules, all driven by the records' data:

- announced and target amounts count only when `statuses` asks for them;
- inside a group, a record whose money another member includes (`overlaps_with`, followed
  up the chain: `part_of`, `same_money` or `possibly_part_of`) is left out;
- every non-USD amount is converted at a stated rate: the source's own (amount_usd /
  amount), a rate stored on the record, or the reference rate of its currency nearest in
  date (the `fx-usd-per-<currency>` indicator); without any, the record is left out;
- without `annualize`, a period is a group key as it is: 2021, FY2025 and 2013/2023 never
  add. A year filter keeps records whose whole period lies inside it;
- with `annualize`, an amount becomes a rate per calendar year over the span its source
  gives (`annualize_start/end`, else its period; a fund size or pledge only with a span
  from the source); a period of a year or less stays whole in the year it ends in; a
  `per_year` amount counts in each year of its period;
- `bound` says what a sum is: a member that says "more than" makes it a floor, "up to" a
  ceiling, "about" approximate, a range a range. Every record left out is listed with why.
Cost: O(n · years) for n records.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from api.models.base import Status
from api.models.funding import FundingMeasure
from api.models.totals import (
    Annualization,
    Bound,
    Conversion,
    Exclusion,
    ExclusionRule,
    FundingTotals,
    GroupField,
    RateBasis,
    TotalsGroup,
    TotalsParameters,
)

METHOD = "funding_totals"
METHOD_VERSION = "2"
DEFINITION = (
    "Sums of USD amounts by measure and period (and country, level or status when asked). "
    "No sum adds two measures or two periods; with annualize, amounts become rates per "
    "calendar year over the span their source gives."
)
RULES = [
    "A group adds only records of one measure and one period; there is no total across groups.",
    "Announced and target amounts count only when the status parameter names them.",
    "Inside a group, a record another member already includes (overlaps_with: part_of, "
    "same_money or possibly_part_of, followed up the chain) is left out.",
    "Non-USD amounts are converted at the source's own implied rate, else a rate stored on "
    "the record, else the reference rate nearest in date; the rate is listed per group.",
    "Without annualize, a year filter keeps records whose whole period lies inside it.",
    "With annualize, an amount is spread over the span its source gives (annualize_start/"
    "end, else its period) by calendar-year fractions; a period of a year or less stays in "
    "the year it ends in; fund sizes and pledges are stocks, spread only over a source's span.",
    "bound: a 'more than' member makes the sum at_least, 'up to' at_most, both unbounded, a "
    "range a range, 'about' approximate; otherwise exact. Leaving out a possibly_part_of "
    "member makes the sum at_least: the part may not be in it.",
]
DEFAULT_STATUSES = (Status.actual, Status.budgeted, Status.estimate, Status.projected)
STOCK_MEASURES = frozenset({FundingMeasure.fund_size, FundingMeasure.pledge_target})
FLOORS = frozenset({"more_than", "at_least"})
CEILINGS = frozenset({"less_than", "up_to"})
ONE_YEAR_DAYS = 366
UNKNOWN = "unknown"


@dataclass(frozen=True)
class FundingItem:
    key: str
    country: str
    level: str
    measure: str
    status: str
    qualifier: str
    amount: float
    amount_max: float | None
    currency: str
    amount_usd: float | None
    amount_usd_max: float | None
    usd_converted: bool
    fx_rate: float | None
    fx_rate_date: date | None
    fx_rate_source: str | None
    amount_basis: str
    period_start: date | None
    period_end: date | None
    annualize_start: date | None
    annualize_end: date | None
    overlaps_with: str | None
    overlap_kind: str | None


@dataclass(frozen=True)
class ReferenceRate:
    """USD per unit of `currency` on `rate_date`, from an observation."""

    currency: str
    usd_per_unit: float
    rate_date: date
    observation: str
    source_location: str


@dataclass(frozen=True)
class Money:
    low: float
    high: float | None
    conversion: Conversion | None


@dataclass(frozen=True)
class Share:
    """The part of one record's USD amount that falls in one group period."""

    item: FundingItem
    period: str
    per_year: bool
    low: float
    high: float | None
    annualization: Annualization | None


class Left(Exception):
    """A record left out of the totals, and why."""

    def __init__(self, rule: ExclusionRule, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


# --- periods --------------------------------------------------------------------------------


def _last_of_month(day: date) -> bool:
    return day == date.max or (day + timedelta(days=1)).day == 1


def _label(day: date, precision: str) -> str:
    return {"year": f"{day.year}", "month": day.strftime("%Y-%m")}.get(precision, day.isoformat())


def period_label(start: date | None, end: date | None) -> str:
    """ISO 8601 at the coarsest exact precision: 2024, 2013/2023, 2024-10/2025-09."""
    if start is None and end is None:
        return UNKNOWN
    if start is None or end is None:
        known = start or end
        assert known is not None
        return f"{known.isoformat()}/.." if start else f"../{known.isoformat()}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        precision = "year"
    elif start.day == 1 and _last_of_month(end):
        precision = "month"
    else:
        precision = "day"
    first, last = _label(start, precision), _label(end, precision)
    return first if first == last else f"{first}/{last}"


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _year_fractions(start: date, end: date) -> dict[int, float]:
    """Share of each calendar year the span covers (a whole year is 1)."""
    fractions = {}
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        fractions[year] = _days(first, last) / _days(date(year, 1, 1), date(year, 12, 31))
    return fractions


def _inside(start: date | None, end: date | None, low: int | None, high: int | None) -> bool:
    if start is None or end is None:
        return False
    return (low is None or start.year >= low) and (high is None or end.year <= high)


# --- money ----------------------------------------------------------------------------------


def _nearest_rate(item: FundingItem, rates: Sequence[ReferenceRate]) -> ReferenceRate | None:
    mine = [r for r in rates if r.currency == item.currency]
    if not mine:
        return None
    when = item.period_end or item.period_start
    if when is None:
        return max(mine, key=lambda r: (r.rate_date, r.observation))
    return min(mine, key=lambda r: (abs((r.rate_date - when).days), r.observation))


def to_usd(item: FundingItem, rates: Sequence[ReferenceRate] = ()) -> Money:
    """The record's USD amount (low, high) and, for a non-USD amount, how it was converted."""
    if item.currency == "USD":
        usd = item.amount_usd if item.amount_usd is not None else item.amount
        high = item.amount_usd_max if item.amount_usd_max is not None else item.amount_max
        return Money(usd, high, None)
    if item.amount_usd is not None:
        rate = item.amount_usd / item.amount if item.amount else 0.0
        if item.usd_converted:
            basis, when = RateBasis.record, item.fx_rate_date
            rate = item.fx_rate or rate
            said = item.fx_rate_source or "stored on the record (see its note)"
        else:
            basis, when = RateBasis.source, None
            said = "implied by the source's own USD figure (amount_usd / amount); undated"
        usd, high = item.amount_usd, item.amount_usd_max
    else:
        reference = _nearest_rate(item, rates)
        if reference is None:
            raise Left(
                ExclusionRule.no_usd,
                f"no USD figure from the source and no {item.currency} reference rate",
            )
        basis, when, rate = RateBasis.reference, reference.rate_date, reference.usd_per_unit
        anchor = item.period_end or item.period_start
        which = (
            f"the nearest in date, {abs((reference.rate_date - anchor).days)} days from the "
            "record's period"
            if anchor
            else "the latest, as the record has no period"
        )
        said = f"reference rate {reference.observation} ({reference.source_location}), {which}"
        usd = item.amount * rate
        high = item.amount_max * rate if item.amount_max is not None else None
    conversion = Conversion(
        key=item.key,
        currency=item.currency,
        amount=item.amount,
        amount_usd=round(usd, 2),
        fx_rate=round(rate, 6),
        fx_rate_date=when,
        rate_basis=basis,
        rate_source=said,
    )
    return Money(usd, high, conversion)


# --- shares ---------------------------------------------------------------------------------


def _whole(item: FundingItem, money: Money, low: int | None, high: int | None) -> list[Share]:
    start, end = item.period_start, item.period_end
    if (low is not None or high is not None) and not _inside(start, end, low, high):
        if start is None and end is None:
            raise Left(ExclusionRule.undated, "no period: a year filter cannot place it")
        raise Left(
            ExclusionRule.outside_years,
            f"its period {period_label(start, end)} is not inside the years asked for; "
            "annualize=true counts the years that are",
        )
    one_year = start is not None and end is not None and _days(start, end) <= ONE_YEAR_DAYS
    per_year = item.amount_basis == "per_year" or one_year
    return [Share(item, period_label(start, end), per_year, money.low, money.high, None)]


def _span(item: FundingItem) -> tuple[date, date, str]:
    if item.annualize_start is not None and item.annualize_end is not None:
        return item.annualize_start, item.annualize_end, "annualize_start/annualize_end"
    if item.measure in STOCK_MEASURES:
        raise Left(
            ExclusionRule.stock,
            f"a {item.measure} is a stock, not a yearly flow, and the source gives no span "
            "to spread it over",
        )
    if item.period_start is None or item.period_end is None:
        raise Left(ExclusionRule.undated, "no complete period to annualize over")
    return item.period_start, item.period_end, "period"


def _yearly(item: FundingItem, money: Money) -> list[Share]:
    if item.amount_basis == "per_year":
        if item.period_start is None or item.period_end is None:
            raise Left(ExclusionRule.undated, "a rate per year with no period: no years to count")
        every = range(item.period_start.year, item.period_end.year + 1)
        return [Share(item, str(year), True, money.low, money.high, None) for year in every]
    start, end, span_from = _span(item)
    if span_from == "period" and _days(start, end) <= ONE_YEAR_DAYS:
        return [Share(item, str(end.year), True, money.low, money.high, None)]
    fractions = _year_fractions(start, end)
    years = sum(fractions.values())
    annualization = Annualization(
        key=item.key,
        span_start=start,
        span_end=end,
        span_from=span_from,
        years=round(years, 4),
        amount_usd=round(money.low, 2),
        per_year_usd=round(money.low / years, 2),
    )
    return [
        Share(
            item,
            str(year),
            True,
            money.low * fraction / years,
            None if money.high is None else money.high * fraction / years,
            annualization,
        )
        for year, fraction in fractions.items()
    ]


def _in_years(share: Share, low: int | None, high: int | None) -> bool:
    year = int(share.period)
    return (low is None or year >= low) and (high is None or year <= high)


# --- overlaps -------------------------------------------------------------------------------

OVERLAP_WORDS = {
    "part_of": "already included in {0}, which is counted in this group",
    "same_money": "the same money as {0}, which is counted in this group",
    "possibly_part_of": "may already be included in {0} (the source does not say), "
    "which is counted in this group: not added to it",
}


def _covering(item: FundingItem, parents: dict[str, FundingItem], members: set[str]) -> str | None:
    """The outermost group member whose money includes this record's."""
    seen = {item.key}
    covering = None
    target = item.overlaps_with
    while target is not None and target not in seen:
        if target in members:
            covering = target
        seen.add(target)
        parent = parents.get(target)
        target = parent.overlaps_with if parent else None
    return covering


# --- groups ---------------------------------------------------------------------------------


def bound_of(qualifiers: Iterable[str]) -> Bound:
    said = set(qualifiers)
    floor, ceiling = bool(said & FLOORS), bool(said & CEILINGS)
    if floor and ceiling:
        return Bound.unbounded
    if floor:
        return Bound.at_least
    if ceiling:
        return Bound.at_most
    if "between" in said:
        return Bound.range
    if "about" in said:
        return Bound.approximate
    return Bound.exact


def _group(
    labels: dict[str, str],
    members: list[Share],
    measure: str,
    money: dict[str, Money],
    *,
    floor: bool = False,
) -> TotalsGroup:
    said = [m.item.qualifier for m in members]
    bound = bound_of([*said, "at_least"] if floor else said)
    if bound is Bound.at_most:
        amount = sum(m.high if m.high is not None else m.low for m in members)
    else:
        amount = sum(m.low for m in members)
    high = sum(m.high if m.high is not None else m.low for m in members)
    conversions = {
        m.item.key: conversion
        for m in members
        if (conversion := money[m.item.key].conversion) is not None
    }
    annualized = {m.item.key: m.annualization for m in members if m.annualization is not None}
    return TotalsGroup(
        measure=FundingMeasure(measure),
        period=members[0].period,
        per_year=members[0].per_year,
        **labels,
        amount_usd=round(amount, 2),
        amount_usd_max=round(high, 2) if bound is Bound.range else None,
        bound=bound,
        count=len({m.item.key for m in members}),
        record_keys=sorted({m.item.key for m in members}),
        conversions=[conversions[k] for k in sorted(conversions)],
        annualized=[annualized[k] for k in sorted(annualized)],
    )


def compute_totals(
    items: Iterable[FundingItem],
    *,
    group_by: Sequence[GroupField] = (GroupField.country, GroupField.level),
    annualize: bool = False,
    statuses: Sequence[Status] = DEFAULT_STATUSES,
    country: str | None = None,
    level: str | None = None,
    measure: FundingMeasure | None = None,
    keys: Sequence[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    rates: Sequence[ReferenceRate] = (),
) -> FundingTotals:
    everything = list(items)
    parents = {item.key: item for item in everything}
    wanted = {str(s) for s in statuses}
    left: dict[tuple[str, ExclusionRule, str], list[str]] = {}
    shares: list[Share] = []
    money: dict[str, Money] = {}
    for item in everything:
        if keys is not None and item.key not in keys:
            continue
        if country and item.country != country and not item.country.startswith(f"{country}-"):
            continue
        if level and item.level != level:
            continue
        if measure and item.measure != measure:
            continue
        try:
            if item.status not in wanted:
                raise Left(
                    ExclusionRule.status, f"status {item.status} is not counted unless asked for"
                )
            money[item.key] = to_usd(item, rates)
            if annualize:
                found = [
                    s for s in _yearly(item, money[item.key]) if _in_years(s, from_year, to_year)
                ]
                if not found:
                    raise Left(ExclusionRule.outside_years, "none of its years is asked for")
            else:
                found = _whole(item, money[item.key], from_year, to_year)
        except Left as out:
            left[(item.key, out.rule, out.reason)] = []
            continue
        shares.extend(found)

    buckets: dict[tuple[str, ...], list[Share]] = defaultdict(list)
    for share in shares:
        values = {
            GroupField.country: share.item.country,
            GroupField.level: share.item.level,
            GroupField.status: share.item.status,
        }
        named = tuple(values[field] for field in group_by)
        buckets[(share.item.measure, str(share.per_year), *named, share.period)].append(share)

    groups = []
    for bucket_key, members in sorted(buckets.items()):
        keys_here = {m.item.key for m in members}
        counted = []
        floor = False  # a left-out possible part may not be in the total: the sum is a floor
        for member in members:
            cover = _covering(member.item, parents, keys_here)
            if cover is None:
                counted.append(member)
                continue
            kind = member.item.overlap_kind or "part_of"
            floor = floor or kind == "possibly_part_of"
            reason = OVERLAP_WORDS.get(kind, OVERLAP_WORDS["part_of"]).format(cover)
            left.setdefault((member.item.key, ExclusionRule.overlap, reason), []).append(
                member.period
            )
        if counted:  # empty only when records name each other in a cycle
            labels = dict(zip((str(f) for f in group_by), bucket_key[2:-1], strict=True))
            groups.append(_group(labels, counted, bucket_key[0], money, floor=floor))

    counted_keys = {key for group in groups for key in group.record_keys}
    excluded = [
        Exclusion(
            key=key,
            rule=rule,
            reason=reason,
            periods=sorted(set(periods)) if key in counted_keys else [],
        )
        for (key, rule, reason), periods in sorted(left.items())
    ]
    return FundingTotals(
        method=METHOD,
        method_version=METHOD_VERSION,
        definition=DEFINITION,
        rules=RULES,
        parameters=TotalsParameters(
            group_by=list(group_by),
            annualize=annualize,
            statuses=list(statuses),
            country=country,
            level=level,
            measure=measure,
            keys=list(keys) if keys is not None else None,
            from_year=from_year,
            to_year=to_year,
        ),
        groups=groups,
        excluded=excluded,
    )
