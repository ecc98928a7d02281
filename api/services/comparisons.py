"""The report's funding comparisons, one request each. Definitions here; numbers from data.

A comparison is two totals queries (one per country) put side by side, with the report's
judgments on them, related figures and the caveats the report attaches. Each side's figure
is read off its groups (`side_value`); a US/China ratio is given only when both sides are
one measure and money for one year, as a range that respects each side's bound.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from api.errors import NotFound
from api.models.assessments import Assessment
from api.models.base import Status, VersionFields
from api.models.comparisons import (
    Caveat,
    ComparedAssessment,
    ComparedObservation,
    ComparedRecord,
    ComparisonList,
    ComparisonSide,
    ComparisonSummary,
    FundingComparison,
    RatioRange,
    SideValue,
)
from api.models.funding import FundingLevel, FundingMeasure, FundingRecord
from api.models.indicators import Observation
from api.models.totals import Bound, FundingTotals, TotalsGroup
from api.services.funding import funding_items, reference_rates
from api.services.revisions import current_filter
from api.services.totals import DEFAULT_STATUSES, FundingItem, ReferenceRate, compute_totals

V = TypeVar("V", bound=VersionFields)

METHOD = "funding_comparison"
METHOD_VERSION = "1"
FUNDING_SECTION = "section Government and Venture Capital (VC) Funding"
OPEN_ABOVE = frozenset({Bound.at_least, Bound.unbounded})
OPEN_BELOW = frozenset({Bound.at_most, Bound.unbounded})


@dataclass(frozen=True)
class Side:
    label: str
    country: str
    keys: tuple[str, ...] | None = None
    level: FundingLevel | None = None
    measure: FundingMeasure | None = None
    statuses: tuple[Status, ...] = DEFAULT_STATUSES
    annualize: bool = False
    from_year: int | None = None
    to_year: int | None = None

    def query(self) -> str:
        params: dict[str, str] = {}
        if self.keys is not None:
            params["keys"] = ",".join(self.keys)
        else:
            params["country"] = self.country
        if self.level is not None:
            params["level"] = self.level.value
        if self.measure is not None:
            params["measure"] = self.measure.value
        if self.statuses != DEFAULT_STATUSES:
            params["status"] = ",".join(s.value for s in self.statuses)
        if self.annualize:
            params["annualize"] = "true"
        if self.from_year is not None:
            params["from"] = str(self.from_year)
        if self.to_year is not None:
            params["to"] = str(self.to_year)
        return "/v1/funding/totals?" + urlencode(params, safe=",")


@dataclass(frozen=True)
class Comparison:
    key: str
    title: str
    question: str
    us: Side
    cn: Side
    assessments: tuple[str, ...]
    observations: tuple[str, ...] = ()
    caveats: tuple[Caveat, ...] = field(default_factory=tuple)


COMPARISONS = (
    Comparison(
        key="us-federal-vs-cn-central-ai-rd",
        title="Government AI R&D: US federal civilian vs China's central government",
        question="How does the US federal 'core' + 'cross-cut' AI budget for FY2025 (excluding "
        "DoD and DARPA) compare with China's central-government spending on likely AI-related "
        "R&D?",
        us=Side(
            "US federal 'core' + 'cross-cut' AI budget, FY2025, excluding DoD and DARPA",
            "US",
            keys=("us-federal-ai-core-cross-cut-fy2025",),
        ),
        cn=Side(
            "China's central government, likely AI-related R&D per year (low-confidence estimate)",
            "CN",
            keys=("cn-central-government-ai-rd-estimate",),
        ),
        assessments=(
            "funding-central-government-estimate",
            "funding-us-federal-higher-than-central",
            "funding-us-federal-exceeds-central",
            "es-funding-trails",
        ),
        caveats=(
            Caveat(
                text="Direct comparisons are difficult due to definitional issues and, "
                "especially with regard to China, data intransparency.",
                source_location=FUNDING_SECTION,
            ),
            Caveat(
                text="China's figure is a low-confidence estimate 'on the order of several "
                "billion USD annually'. 'Several billion' is not a number: the range of 2 to 9 "
                "billion USD is our reading (marked inferred on the record).",
                source_location=FUNDING_SECTION,
            ),
            Caveat(
                text="The US figure is one fiscal year's budget (October 2024 to September "
                "2025); China's is an annual estimate the report does not date.",
                source_location=None,
            ),
            Caveat(
                text="'Core' and 'cross-cut' AI have a clear definition, while estimating "
                "China's funding relies on imperfect visibility into the research programmes "
                "it targets; the report also notes declining expenditure by Beijing until "
                "approximately 2023.",
                source_location=FUNDING_SECTION,
            ),
        ),
    ),
    Comparison(
        key="cn-guidance-funds-vs-us-state",
        title="Sub-national money: China's guidance funds per year vs US state-level funding",
        question="How do China's government guidance funds' investments in AI firms, per year, "
        "compare with US state-level AI funding?",
        us=Side(
            "US state-level AI initiatives",
            "US",
            level=FundingLevel.subnational,
        ),
        cn=Side(
            "China's government guidance funds (central, provincial and local), AI firms, "
            "per year over 2013-2023",
            "CN",
            level=FundingLevel.government_guidance_funds,
            measure=FundingMeasure.period_spending,
            annualize=True,
            from_year=2013,
            to_year=2023,
        ),
        assessments=(
            "funding-guidance-funds-exceed-us-federal-state",
            "funding-government-led-leans-china",
            "kf-funding-government",
        ),
        observations=(
            "cn-guidance-funds-ai-firms-cn-2000-2023",
            "government-vc-funds-ai-share-cn-2013-2023",
        ),
        caveats=(
            Caveat(
                text="Guidance funds mix money from governmental and non-governmental "
                "(including corporate) sources, so they are not government money alone.",
                source_location=FUNDING_SECTION,
            ),
            Caveat(
                text="The NBER total covers 2000-2023; the report annualizes it over 2013-2023, "
                "when most transactions occurred, to $16.7 billion a year. NBER's broad "
                "keyword identification of AI firms potentially leads to an overestimate.",
                source_location=f"{FUNDING_SECTION}; footnote 20",
            ),
            Caveat(
                text="A second NBER figure (23% of $912 billion, $209.8 billion) is higher; the "
                "report could not determine the reason for the discrepancy, and AI investment "
                "may be higher.",
                source_location="footnote 19",
            ),
            Caveat(
                text="The US side is New York's Empire AI consortium: $565 million received "
                "from public and private sources, with no period, so it is not a yearly figure "
                "and the two sides are not one measure. The report names no other state "
                "amounts; it judges that US state initiatives likely do not match China's "
                "sub-national funding, which is steadily increasing.",
                source_location=FUNDING_SECTION,
            ),
        ),
    ),
    Comparison(
        key="private-investment-us-vs-cn",
        title="Private-sector AI investment: US vs China",
        question="How does private-sector investment in AI companies compare between the US "
        "and China?",
        us=Side(
            "US private-sector investment in AI companies",
            "US",
            level=FundingLevel.private_vc,
            measure=FundingMeasure.investment_flow,
        ),
        cn=Side(
            "China private-sector investment in AI companies",
            "CN",
            level=FundingLevel.private_vc,
            measure=FundingMeasure.investment_flow,
        ),
        assessments=("kf-funding-government", "es-funding-trails"),
        observations=(
            "cn-ai-companies-in-investment-data-cn-2013-2023-eto",
            "cn-ai-companies-in-investment-data-cn-2000-2023-nber",
        ),
        caveats=(
            Caveat(
                text="Figure 5 (disclosed private-sector investment, 2013-2023, Stanford HAI "
                "and ETO) is a chart; the report's text gives no amounts, so none are recorded "
                "and each side stays empty until a curator adds investment_flow records. The "
                "report's words are in assessments.",
                source_location="Figure 5",
            ),
            Caveat(
                text="There is likely overlap between the guidance funds' investments and the "
                "private-sector investment data, which likely does not exclude investments "
                "from government sources.",
                source_location=FUNDING_SECTION,
            ),
            Caveat(
                text="The private-sector data is narrower: ETO covers 2,100 Chinese AI "
                "companies against the NBER study's over 9,000.",
                source_location=FUNDING_SECTION,
            ),
        ),
    ),
)
BY_KEY = {comparison.key: comparison for comparison in COMPARISONS}


# --- pure: a side's figure, comparability and the ratio -----------------------------------


def side_value(groups: Sequence[TotalsGroup]) -> SideValue:
    """One figure for a side: its only group, or the mean of its annualized years."""
    if not groups:
        return SideValue(
            amount_usd=None,
            amount_usd_max=None,
            bound=None,
            per_year=None,
            period=None,
            measure=None,
            how="no amount counted: see excluded and caveats",
        )
    first = groups[0]
    if len(groups) == 1:
        return SideValue(
            amount_usd=first.amount_usd,
            amount_usd_max=first.amount_usd_max,
            bound=first.bound,
            per_year=first.per_year,
            period=first.period,
            measure=first.measure,
            how="one group",
        )
    yearly = all(g.period.isdigit() and g.per_year for g in groups)
    if yearly and len({(g.measure, g.bound) for g in groups}) == 1:
        highs = [g.amount_usd_max for g in groups]
        periods = sorted(g.period for g in groups)
        return SideValue(
            amount_usd=round(sum(g.amount_usd for g in groups) / len(groups), 2),
            amount_usd_max=(
                round(sum(h for h in highs if h is not None) / len(groups), 2)
                if all(h is not None for h in highs)
                else None
            ),
            bound=first.bound,
            per_year=True,
            period=f"{periods[0]}/{periods[-1]}",
            measure=first.measure,
            how=f"mean of {len(groups)} calendar years",
        )
    return SideValue(
        amount_usd=None,
        amount_usd_max=None,
        bound=None,
        per_year=None,
        period=None,
        measure=None,
        how="several groups of different measures or periods: no single figure (see groups)",
    )


def comparability(us: SideValue, cn: SideValue) -> tuple[bool, str]:
    if us.amount_usd is None or cn.amount_usd is None:
        return False, "a side has no single figure"
    if us.measure != cn.measure:
        return False, f"different measures: {us.measure} vs {cn.measure}"
    if not (us.per_year and cn.per_year):
        return False, "not both money for one year"
    return True, f"both {us.measure}, each money for one year"


def _low(value: SideValue) -> float:
    return 0.0 if value.bound in OPEN_BELOW else value.amount_usd or 0.0


def _high(value: SideValue) -> float | None:
    if value.bound in OPEN_ABOVE:
        return None
    return value.amount_usd_max if value.amount_usd_max is not None else value.amount_usd


def ratio(us: SideValue, cn: SideValue) -> RatioRange:
    """US/China as the widest range both sides' bounds allow."""
    cn_high, cn_low, us_high = _high(cn), _low(cn), _high(us)
    low = _low(us) / cn_high if cn_high else 0.0
    high = us_high / cn_low if us_high is not None and cn_low > 0 else None
    return RatioRange(low=round(low, 4), high=round(high, 4) if high is not None else None)


# --- gathering ----------------------------------------------------------------------------


def comparison_list() -> ComparisonList:
    return ComparisonList(
        items=[
            ComparisonSummary(
                key=c.key,
                title=c.title,
                question=c.question,
                href=f"/v1/funding/comparisons/{c.key}",
            )
            for c in COMPARISONS
        ]
    )


def _totals(items: list[FundingItem], rates: list[ReferenceRate], side: Side) -> FundingTotals:
    return compute_totals(
        items,
        group_by=(),
        annualize=side.annualize,
        statuses=side.statuses,
        country=side.country if side.keys is None else None,
        level=side.level,
        measure=side.measure,
        keys=side.keys,
        from_year=side.from_year,
        to_year=side.to_year,
        rates=rates,
    )


def _records(session: Session, keys: set[str], as_of: datetime | None) -> list[ComparedRecord]:
    rows = session.exec(
        select(FundingRecord).where(
            current_filter(FundingRecord, as_of), col(FundingRecord.key).in_(keys)
        )
    ).all()
    return [
        ComparedRecord(
            key=r.key,
            program=r.program,
            qualifier=r.qualifier,
            status=r.status,
            confidence=r.confidence,
            inferred_fields=r.inferred_fields,
            source_key=r.source_key,
            source_location=r.source_location,
            cited_source=r.cited_source,
        )
        for r in sorted(rows, key=lambda r: r.key)
    ]


def _side(
    session: Session,
    items: list[FundingItem],
    rates: list[ReferenceRate],
    side: Side,
    as_of: datetime | None,
) -> ComparisonSide:
    totals = _totals(items, rates, side)
    counted = {key for group in totals.groups for key in group.record_keys}
    return ComparisonSide(
        label=side.label,
        country=side.country,
        query=side.query(),
        value=side_value(totals.groups),
        groups=totals.groups,
        excluded=totals.excluded,
        records=_records(session, counted, as_of),
    )


def _current_by_key(
    session: Session, model: type[V], keys: Sequence[str], as_of: datetime | None
) -> dict[str, V]:
    """The records of these keys that were current (and not retired) at `as_of`."""
    statement = select(model).where(
        current_filter(model, as_of), col(model.retired).is_(False), col(model.key).in_(keys)
    )
    return {row.key: row for row in session.exec(statement)}


def _assessments(
    session: Session, keys: Sequence[str], as_of: datetime | None
) -> list[ComparedAssessment]:
    rows = _current_by_key(session, Assessment, keys, as_of)
    return [
        ComparedAssessment(
            key=row.key,
            statement=row.statement,
            likelihood=row.likelihood,
            confidence=row.confidence,
            favours=row.favours,
            source_location=row.source_location,
        )
        for key in keys
        if (row := rows.get(key)) is not None
    ]


def _observations(
    session: Session, keys: Sequence[str], as_of: datetime | None
) -> list[ComparedObservation]:
    rows = _current_by_key(session, Observation, keys, as_of)
    return [
        ComparedObservation(
            key=row.key,
            indicator_key=row.indicator_key,
            country=row.country,
            period=row.period,
            value=row.value,
            qualifier=row.qualifier,
            source_location=row.source_location,
            cited_source=row.cited_source,
        )
        for key in keys
        if (row := rows.get(key)) is not None
    ]


def funding_comparison(
    session: Session, key: str, *, data_version: int, as_of: datetime | None = None
) -> FundingComparison:
    definition = BY_KEY.get(key)
    if definition is None:
        raise NotFound(
            f"no funding comparison {key!r}; there are: {', '.join(BY_KEY)}",
            errors=[{"field": "path.key", "reason": f"one of {', '.join(BY_KEY)}"}],
        )
    items, rates = funding_items(session, as_of), reference_rates(session, as_of)
    us = _side(session, items, rates, definition.us, as_of)
    cn = _side(session, items, rates, definition.cn, as_of)
    comparable, reason = comparability(us.value, cn.value)
    return FundingComparison(
        key=definition.key,
        title=definition.title,
        question=definition.question,
        method=METHOD,
        method_version=METHOD_VERSION,
        data_version=data_version,
        sides=[us, cn],
        comparable=comparable,
        comparable_reason=reason,
        ratio_us_to_cn=ratio(us.value, cn.value) if comparable else None,
        assessments=_assessments(session, definition.assessments, as_of),
        observations=_observations(session, definition.observations, as_of),
        caveats=list(definition.caveats),
    )
