"""The per-pillar scorecard. `build_scorecard` is pure; `scorecard` gathers its inputs.

Verdict rules (also returned with every answer):
1. Headline indicators compare the US and China where both have a value and the
   indicator has a direction; they favour a side when every comparison agrees, else
   they are split.
2. The pillar's headline assessment (one per pillar, marked in the data) favours US, CN,
   contested or neither.
3. A verdict says only what the report or the data says. Indicators and assessment name
   the same side: that side; different sides: contested. Only one of them names a side
   (the other silent or `neither`): that side. The assessment says contested, or the
   indicators are split with no side named: contested. Nothing names a side: not_stated.
The bottom line (does China lead any pillar?) is read off the verdicts.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from api.models.assessments import Assessment, AssessmentScope
from api.models.base import Pillar
from api.models.indicators import Indicator, Observation
from api.models.lag import LagSeries
from api.models.scorecard import (
    Basis,
    BottomLine,
    CountryValue,
    IndicatorComparison,
    PillarAssessment,
    PillarScore,
    Scorecard,
    Trend,
    Verdict,
)
from api.services.cache import VersionedCache
from api.services.models import lag_series
from api.services.revisions import current_filter

METHOD = "pillar_scorecard"
METHOD_VERSION = "1"
RULES = [
    "Headline indicators compare US and China where both have a value and the indicator has "
    "a direction; they favour a side when every comparison agrees, else they are split.",
    "The pillar's headline assessment names US, CN, contested or neither.",
    "A verdict says only what the report or the data says: indicators and assessment naming "
    "one side give that side, different sides give contested; when only one of them names a "
    "side, it decides; an assessment of contested, or split indicators with no side named, "
    "give contested; when nothing names a side the verdict is not_stated.",
    "The bottom line is read off the verdicts: does China lead any pillar?",
]
OPEN_ABOVE = {"more_than", "at_least"}
OPEN_BELOW = {"less_than", "up_to"}
COUNTRIES = ("US", "CN")
PILLARS = tuple(pillar.value for pillar in Pillar)


@dataclass(frozen=True)
class IndicatorInput:
    key: str
    pillar: str
    name: str
    unit: str
    higher_is_better: bool | None
    values: dict[str, list[CountryValue]]  # per country, newest period first


def _trend(latest: CountryValue, previous: CountryValue | None) -> Trend | None:
    if previous is None:
        return None
    if latest.value > previous.value:
        return Trend.rising
    if latest.value < previous.value:
        return Trend.falling
    return Trend.flat


def compare(indicator: IndicatorInput) -> IndicatorComparison:
    latest: dict[str, CountryValue | None] = {}
    for country in COUNTRIES:
        history = indicator.values.get(country, [])
        if history:
            previous = history[1] if len(history) > 1 else None
            latest[country] = history[0].model_copy(update={"trend": _trend(history[0], previous)})
        else:
            latest[country] = None
    us, cn = latest["US"], latest["CN"]
    ratio = round(us.value / cn.value, 4) if us and cn and cn.value else None
    leader: str | None = None
    certain = False
    if us and cn and indicator.higher_is_better is not None:
        if us.value == cn.value:
            leader = "tied"
        else:
            us_ahead = (us.value > cn.value) == indicator.higher_is_better
            leader = "US" if us_ahead else "CN"
            high, low = (us, cn) if us.value > cn.value else (cn, us)
            certain = low.qualifier not in OPEN_ABOVE and high.qualifier not in OPEN_BELOW
    return IndicatorComparison(
        indicator=indicator.key,
        name=indicator.name,
        unit=indicator.unit,
        higher_is_better=indicator.higher_is_better,
        us=us,
        cn=cn,
        ratio_us_to_cn=ratio,
        leader=leader,
        certain=certain,
    )


def _indicator_side(comparisons: Sequence[IndicatorComparison]) -> str | None:
    sides = {c.leader for c in comparisons if c.leader in ("US", "CN")}
    if not sides:
        return None
    return sides.pop() if len(sides) == 1 else "split"


def verdict(indicator_side: str | None, favours: str | None) -> tuple[Verdict, Basis, str]:
    named = favours if favours in ("US", "CN") else None
    said = f"the report's assessment favours {favours}" if favours else "no assessment"
    shown = {
        None: "no headline indicator compares both",
        "split": "headline indicators are split",
    }.get(indicator_side, f"headline indicators favour {indicator_side}")
    reason = f"{shown}; {said}"
    data_side = indicator_side if indicator_side in ("US", "CN") else None
    basis = {
        (False, False): Basis.none,
        (True, False): Basis.indicators,
        (False, True): Basis.assessment,
        (True, True): Basis.indicators_and_assessment,
    }[(indicator_side is not None, favours is not None)]
    if data_side and named:
        return (Verdict(named) if data_side == named else Verdict.contested), basis, reason
    if data_side or named:
        if favours == "contested":
            return Verdict.contested, basis, reason
        side = data_side or named
        assert side is not None
        return Verdict(side), basis, reason
    if favours == "contested" or indicator_side == "split":
        return Verdict.contested, basis, reason
    return Verdict.not_stated, basis, f"{reason}: neither names a leader"


def build_scorecard(
    indicators: Iterable[IndicatorInput],
    assessments: dict[str, PillarAssessment],
    pillars: Sequence[str] = PILLARS,
) -> Scorecard:
    by_pillar: dict[str, list[IndicatorComparison]] = defaultdict(list)
    for indicator in indicators:
        by_pillar[indicator.pillar].append(compare(indicator))
    scores = []
    for pillar in pillars:
        comparisons = sorted(by_pillar.get(pillar, []), key=lambda c: c.indicator)
        side = _indicator_side(comparisons)
        assessment = assessments.get(pillar)
        outcome, basis, reason = verdict(side, assessment.favours if assessment else None)
        scores.append(
            PillarScore(
                pillar=AssessmentScope(pillar),
                verdict=outcome,
                basis=basis,
                reason=reason,
                indicators_favour=side,
                indicators=comparisons,
                assessment=assessment,
            )
        )
    return Scorecard(
        method=METHOD,
        method_version=METHOD_VERSION,
        rules=RULES,
        pillars=scores,
        bottom_line=_bottom_line(scores),
        overall_assessment=assessments.get("overall"),
    )


def _bottom_line(scores: Sequence[PillarScore]) -> BottomLine:
    def named(v: Verdict) -> list[str]:
        return [s.pillar.value for s in scores if s.verdict is v]

    china = named(Verdict.CN)
    statement = (
        f"China leads on {', '.join(china)}."
        if china
        else "China does not clearly lead on any pillar."
    )
    return BottomLine(
        china_leads_any_pillar=bool(china),
        us_leads=named(Verdict.US),
        china_leads=china,
        contested=named(Verdict.contested),
        not_stated=named(Verdict.not_stated),
        statement=statement,
    )


# --- gathering the inputs -------------------------------------------------------------

SCORECARD_CACHE_SIZE = 32
_cache: VersionedCache[Scorecard] = VersionedCache(SCORECARD_CACHE_SIZE)


def clear_scorecard_cache() -> None:
    _cache.clear()


def _country_value(row: Observation) -> CountryValue:
    return CountryValue(
        value=row.value,
        value_max=row.value_max,
        qualifier=row.qualifier,
        period=row.period,
        status=row.status,
        observation=row.key,
    )


def headline_indicators(session: Session, as_of: datetime | None) -> list[IndicatorInput]:
    indicators = session.exec(
        select(Indicator).where(
            current_filter(Indicator, as_of),
            col(Indicator.retired).is_(False),
            col(Indicator.headline).is_(True),
        )
    ).all()
    keys = [i.key for i in indicators]
    rows = session.exec(
        select(Observation).where(
            current_filter(Observation, as_of),
            col(Observation.retired).is_(False),
            col(Observation.indicator_key).in_(keys),
            col(Observation.country).in_(COUNTRIES),
        )
    ).all()
    history: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for row in rows:
        history[(row.indicator_key, row.country)].append(row)
    result = []
    for indicator in indicators:
        values = {}
        for country in COUNTRIES:
            dated = sorted(
                history[(indicator.key, country)],
                key=lambda o: (o.period_end or date.min, o.key),
                reverse=True,
            )
            if dated:
                values[country] = [_country_value(o) for o in dated]
        result.append(
            IndicatorInput(
                indicator.key,
                indicator.pillar,
                indicator.name,
                indicator.unit,
                indicator.higher_is_better,
                values,
            )
        )
    return result


def arena_indicator(series: LagSeries) -> IndicatorInput | None:
    """The models pillar's computed headline: each country's top Arena score, by month."""
    values: dict[str, list[CountryValue]] = {"US": [], "CN": []}
    for point in reversed(series.series):
        for country, top in (("US", point.us), ("CN", point.cn)):
            if top is not None:
                values[country].append(
                    CountryValue(
                        value=top.score,
                        qualifier="exact",
                        period=point.month,
                        status="actual",
                        observation=f"arena-scores:{point.month}.{top.model}",
                    )
                )
    if not values["US"] and not values["CN"]:
        return None
    return IndicatorInput(
        "arena-top-score",
        Pillar.models.value,
        "Top Arena (Elo) score of the month",
        "Elo points",
        True,
        {c: v for c, v in values.items() if v},
    )


def headline_assessments(session: Session, as_of: datetime | None) -> dict[str, PillarAssessment]:
    rows = session.exec(
        select(Assessment)
        .where(
            current_filter(Assessment, as_of),
            col(Assessment.retired).is_(False),
            col(Assessment.headline).is_(True),
        )
        .order_by(col(Assessment.key))
    ).all()
    found: dict[str, PillarAssessment] = {}
    for row in rows:
        found.setdefault(
            row.pillar,
            PillarAssessment(
                key=row.key,
                statement=row.statement,
                likelihood=row.likelihood,
                probability_min=row.probability_min,
                probability_max=row.probability_max,
                confidence=row.confidence,
                favours=row.favours,
                source_location=row.source_location,
            ),
        )
    return found


def scorecard(session: Session, *, data_version: int, as_of: datetime | None = None) -> Scorecard:
    """The scorecard, computed once per database, data version and as_of in each process."""
    return _cache.get(session, data_version, as_of, lambda: _build(session, data_version, as_of))


def _build(session: Session, data_version: int, as_of: datetime | None) -> Scorecard:
    indicators = headline_indicators(session, as_of)
    arena = arena_indicator(lag_series(session, data_version=data_version, as_of=as_of))
    if arena is not None:
        indicators.append(arena)
    result = build_scorecard(indicators, headline_assessments(session, as_of))
    result.data_version = data_version
    return result


SCORECARD_CSV_COLUMNS = (
    "pillar",
    "verdict",
    "basis",
    "reason",
    "indicators_favour",
    "indicators",
    "assessment",
    "likelihood",
    "probability_min",
    "probability_max",
    "confidence",
    "assessment_favours",
    "source_location",
)


def scorecard_rows(card: Scorecard) -> list[dict[str, object]]:
    """One flat row per pillar, for CSV."""
    return [pillar_row(score) for score in card.pillars]


def pillar_row(score: PillarScore) -> dict[str, object]:
    """A pillar's scorecard as one flat row; each headline indicator as `code: leader`."""
    assessment = score.assessment
    return {
        "pillar": score.pillar.value,
        "verdict": score.verdict.value,
        "basis": score.basis.value,
        "reason": score.reason,
        "indicators_favour": score.indicators_favour,
        "indicators": "; ".join(
            f"{i.indicator}: {i.leader or 'no leader'}" for i in score.indicators
        ),
        "assessment": assessment.statement if assessment else None,
        "likelihood": assessment.likelihood if assessment else None,
        "probability_min": assessment.probability_min if assessment else None,
        "probability_max": assessment.probability_max if assessment else None,
        "confidence": assessment.confidence if assessment else None,
        "assessment_favours": assessment.favours if assessment else None,
        "source_location": assessment.source_location if assessment else None,
    }
