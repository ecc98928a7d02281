"""The Elo lag: how many months China's best model trails the US's best. Pure functions.

    lag(m) = m - min{ m' <= m : top_US(m') >= top_CN(m) - tolerance }     (whole months)

The earliest m' is found by binary search on the US running maximum, which is
non-decreasing, so a series of n months costs O(n log n). When no US month qualifies,
China leads and the same rule runs with the countries swapped, giving a negative lag. A
match in a country's first month of data is censored: the true lag may be longer, so
`lag_months` is null and `lag_months_at_least` holds the bound.

Only models placed in the US or China count; a model of unknown country never counts,
and a month lists those that score above a country's best. Where scores have published
intervals, each month also carries the lag's Monte Carlo interval and the probability
that China is ahead (api.services.lag_uncertainty). The trend is named only when the 90%
interval of its least-squares slope excludes zero.
"""

import math
import statistics
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from api.models.lag import (
    LagInterval,
    LagMethod,
    LagMethodCard,
    LagParameters,
    LagPoint,
    LagSeries,
    LagSummary,
    LagTrend,
    LagUncertainty,
    Leader,
    SlopeInterval,
    TopModel,
    UnclassifiedModel,
)

if TYPE_CHECKING:  # numpy loads when a lag interval is first asked for, not at start
    from api.services.lag_uncertainty import Scores

METHOD_VERSION = "2"
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 0
INTERVAL_LEVEL = 0.9
TREND_LEVEL = 0.9
TREND_RULE = (
    "shortening or widening only when the 90% confidence interval of the least-squares slope "
    "of the uncensored monthly lag (Student's t, n - 2 degrees of freedom) excludes zero; "
    "months are treated as independent"
)
NO_INTERVAL = (
    "no published interval for this month's US or China scores (the report's Appendix B "
    "gives point scores only)"
)
ASSUMPTIONS = [
    "a score with a published 95% interval [low, high] is a normal draw with mean the score "
    "and standard deviation (high - low) / (2 x 1.96); any skew of the interval is ignored",
    "scores are independent of each other",
    "a score without an interval (such as the report's Appendix B) is taken as exact",
    "each draw applies the lag rule of the chosen method to the drawn monthly bests; the "
    "interval is the central share of the draws given by `level`",
    "a month's interval and p_china_ahead are null when none of its US or China scores has "
    "an interval",
]
COUNTRIES = ("US", "CN")
DEFINITIONS = {
    LagMethod.whole_month: (
        "lag(m) = m - min{m' <= m : top_US(m') >= top_CN(m) - tolerance}, in whole months; "
        "negative with countries swapped when no US month qualifies; censored when m' is "
        "the first month of data."
    ),
    LagMethod.interpolated: (
        "As whole_month, but m' is the fractional month where the US running-maximum "
        "frontier, interpolated linearly between months, first reaches top_CN(m) - tolerance."
    ),
}


class ArenaPoint(NamedTuple):
    """One Arena score with its model's place (a tuple: a read builds tens of thousands)."""

    month: str
    model: str
    organization: str | None
    country: str | None  # None: the registry cannot place the model
    score: float
    ci_lower: float | None = None
    ci_upper: float | None = None


@lru_cache(maxsize=8192)
def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass
class Frontier:
    """One country's top score per month, and its running maximum."""

    months: list[int]
    tops: list[TopModel]
    running_max: list[float]

    @classmethod
    def build(cls, tops_by_month: dict[int, TopModel]) -> "Frontier":
        months = sorted(tops_by_month)
        tops = [tops_by_month[m] for m in months]
        running: list[float] = []
        for top in tops:
            running.append(max(top.score, running[-1]) if running else top.score)
        return cls(months, tops, running)

    def earliest_reaching(self, threshold: float, up_to: int) -> tuple[float, bool] | None:
        """(first month index <= up_to whose running max reaches `threshold`, censored?)."""
        end = bisect_left(self.months, up_to + 1)
        position = bisect_left(self.running_max, threshold, 0, end)
        if position == end:
            return None
        return float(self.months[position]), position == 0

    def interpolate(self, threshold: float, up_to: int) -> tuple[float, bool] | None:
        """As earliest_reaching, but the fractional month where the frontier crosses."""
        found = self.earliest_reaching(threshold, up_to)
        if found is None:
            return None
        month, censored = found
        position = bisect_left(self.months, int(month))
        if censored:
            return month, True
        before, after = self.running_max[position - 1], self.running_max[position]
        start, end = self.months[position - 1], self.months[position]
        fraction = (threshold - before) / (after - before)
        return start + fraction * (end - start), False


def top_by_country(points: Iterable[ArenaPoint]) -> dict[str, dict[int, TopModel]]:
    """Each country's best model per month; only US and China count."""
    tops: dict[str, dict[int, TopModel]] = {country: {} for country in COUNTRIES}
    for point in points:
        if point.country not in tops:
            continue
        month = month_index(point.month)
        current = tops[point.country].get(month)
        if (
            current is None
            or point.score > current.score
            or (point.score == current.score and point.model < current.model)
        ):
            tops[point.country][month] = TopModel(
                model=point.model,
                organization=point.organization,
                score=point.score,
                ci_lower=point.ci_lower,
                ci_upper=point.ci_upper,
            )
    return tops


def _leader(us: TopModel, cn: TopModel) -> Leader:
    if us.score > cn.score:
        return Leader.US
    if cn.score > us.score:
        return Leader.CN
    return Leader.tied


class MonthExtras(NamedTuple):
    """What a month's point carries beyond its lag: its interval and the unplaced models."""

    interval: LagInterval | None
    p_china_ahead: float | None
    interval_note: str | None
    unclassified_above: list[UnclassifiedModel]


def _lag_point(
    month: int,
    us: TopModel | None,
    cn: TopModel | None,
    frontiers: dict[str, Frontier],
    tolerance: float,
    method: LagMethod,
    extras: MonthExtras,
) -> LagPoint:
    label = month_label(month)
    if us is None or cn is None:
        missing = "US" if us is None else "China"
        return LagPoint(
            month=label,
            lag_months=None,
            lag_months_at_least=None,
            censored=False,
            leader=None,
            matched_month=None,
            gap_points=None,
            us=us,
            cn=cn,
            note=f"no {missing} score this month",
            interval=extras.interval,
            p_china_ahead=extras.p_china_ahead,
            interval_note=extras.interval_note,
            unclassified_above=extras.unclassified_above,
        )
    search = (
        Frontier.interpolate if method is LagMethod.interpolated else Frontier.earliest_reaching
    )
    sign = 1
    found = search(frontiers["US"], cn.score - tolerance, month)
    if found is None:  # no US month reaches China's best: China leads, swap the countries
        sign = -1
        found = search(frontiers["CN"], us.score - tolerance, month)
    assert found is not None  # the swapped search always matches month m itself
    matched, censored = found
    lag = month - matched
    value: int | float = round(lag, 3) if method is LagMethod.interpolated else int(lag)
    signed = -value if sign < 0 and value else value
    return LagPoint(
        month=label,
        lag_months=None if censored else signed,
        lag_months_at_least=signed if censored else None,
        censored=censored,
        leader=_leader(us, cn),
        matched_month=month_label(int(matched)),
        gap_points=round(us.score - cn.score, 3),
        us=us,
        cn=cn,
        note="censored: the match is in the first month of data, so only a lower bound is "
        "known (lag_months_at_least)"
        if censored
        else None,
        interval=extras.interval,
        p_china_ahead=extras.p_china_ahead,
        interval_note=extras.interval_note,
        unclassified_above=extras.unclassified_above,
    )


def slope_with_interval(
    pairs: Sequence[tuple[float, float]], level: float = TREND_LEVEL
) -> tuple[float | None, SlopeInterval | None]:
    """Least-squares slope of y on x and its t interval; (None, None) below 3 points."""
    if len(pairs) < 2:
        return None, None
    mean_x = statistics.fmean(x for x, _ in pairs)
    mean_y = statistics.fmean(y for _, y in pairs)
    spread = sum((x - mean_x) ** 2 for x, _ in pairs)
    if spread == 0:
        return None, None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread
    if len(pairs) < 3:
        return slope, None
    residual = sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in pairs)
    standard_error = math.sqrt(residual / (len(pairs) - 2) / spread)
    from api.services.lag_uncertainty import t_quantile

    half = t_quantile(1 - (1 - level) / 2, len(pairs) - 2) * standard_error
    return slope, SlopeInterval(low=slope - half, high=slope + half, level=level)


def _trend(points: Sequence[LagPoint]) -> tuple[float | None, SlopeInterval | None, LagTrend]:
    pairs = [
        (month_index(p.month) / 12, float(p.lag_months)) for p in points if p.lag_months is not None
    ]
    slope, interval = slope_with_interval(pairs)
    if slope is None or interval is None:
        return (round(slope, 3) if slope is not None else None), None, LagTrend.insufficient_data
    rounded = SlopeInterval(
        low=round(interval.low, 3), high=round(interval.high, 3), level=interval.level
    )
    if interval.high < 0:
        return round(slope, 3), rounded, LagTrend.shortening
    if interval.low > 0:
        return round(slope, 3), rounded, LagTrend.widening
    return round(slope, 3), rounded, LagTrend.no_clear_trend


def summarize(points: Sequence[LagPoint]) -> LagSummary:
    exact = [p for p in points if p.lag_months is not None and not p.censored]
    values = [p.lag_months for p in exact if p.lag_months is not None]
    slope, interval, trend = _trend(exact)
    return LagSummary(
        months=len(points),
        uncensored_months=len(values),
        min=min(values) if values else None,
        max=max(values) if values else None,
        mean=round(statistics.fmean(values), 3) if values else None,
        median=statistics.median(values) if values else None,
        slope_months_per_year=slope,
        slope_interval=interval,
        trend=trend,
        trend_rule=TREND_RULE,
    )


def unclassified_above(
    points: Iterable[ArenaPoint], tops: dict[str, dict[int, TopModel]]
) -> dict[int, list[UnclassifiedModel]]:
    """Per month, the unplaced models scoring above the US's or China's best."""
    found: dict[int, list[UnclassifiedModel]] = {}
    for point in points:
        if point.country is not None:
            continue
        month = month_index(point.month)
        above = [
            country
            for country in COUNTRIES
            if month in tops[country] and point.score > tops[country][month].score
        ]
        if above:
            found.setdefault(month, []).append(
                UnclassifiedModel(model=point.model, score=point.score, above=above)
            )
    for models in found.values():
        models.sort(key=lambda m: (-m.score, m.model))
    return found


def _scores(points: Sequence[ArenaPoint]) -> "tuple[Scores, set[int]]":
    """Every US and China score as a distribution; the months that have an interval."""
    from api.services.lag_uncertainty import Scores

    placed = [p for p in points if p.country in COUNTRIES]
    scores = Scores.build(
        [month_index(p.month) for p in placed],
        [p.country for p in placed if p.country is not None],
        [p.model for p in placed],
        [p.score for p in placed],
        [p.ci_lower for p in placed],
        [p.ci_upper for p in placed],
    )
    return scores, set(scores.month[scores.sd > 0].tolist())


def uncertainty_method(draws: int, seed: int) -> LagUncertainty:
    return LagUncertainty(
        method="monte_carlo_normal",
        draws=draws,
        seed=seed,
        level=INTERVAL_LEVEL,
        assumptions=ASSUMPTIONS,
    )


def _month_extras(
    months: list[int],
    tops: dict[str, dict[int, TopModel]],
    points: Sequence[ArenaPoint],
    *,
    tolerance: float,
    method: LagMethod,
    draws: int,
    seed: int,
) -> dict[int, MonthExtras]:
    from api.services.lag_uncertainty import simulate

    above = unclassified_above(points, tops)
    samples, with_interval = _scores(points)
    both = [m for m in months if m in tops["US"] and m in tops["CN"]]
    wanted = [m for m in both if m in with_interval]
    simulated = (
        simulate(
            samples,
            wanted,
            tolerance=tolerance,
            method=method,
            samples=draws,
            seed=seed,
            level=INTERVAL_LEVEL,
        )
        if wanted
        else {}
    )
    digits = 3 if method is LagMethod.interpolated else 0
    lagged = set(both)
    extras = {}
    for month in months:
        unplaced = above.get(month, [])
        outcome = simulated.get(month)
        if outcome is not None:
            interval = LagInterval(
                low=round(outcome.low, digits),
                high=round(outcome.high, digits),
                level=INTERVAL_LEVEL,
                censored_share=round(outcome.censored_share, 4),
            )
            extras[month] = MonthExtras(interval, round(outcome.p_china_ahead, 4), None, unplaced)
        else:
            note = NO_INTERVAL if month in lagged else "no lag this month (see note)"
            extras[month] = MonthExtras(None, None, note, unplaced)
    return extras


def compute_lag(
    points: Sequence[ArenaPoint],
    *,
    tolerance: float = 0.0,
    method: LagMethod = LagMethod.whole_month,
    from_month: str | None = None,
    to_month: str | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> LagSeries:
    """The lag series. History before `from_month` still counts as the frontier."""
    tops = top_by_country(points)
    frontiers = {country: Frontier.build(tops[country]) for country in COUNTRIES}
    low = month_index(from_month) if from_month else None
    high = month_index(to_month) if to_month else None
    months = [
        m
        for m in sorted(set(tops["US"]) | set(tops["CN"]))
        if (low is None or m >= low) and (high is None or m <= high)
    ]
    extras = _month_extras(
        months, tops, points, tolerance=tolerance, method=method, draws=draws, seed=seed
    )
    series = [
        _lag_point(m, tops["US"].get(m), tops["CN"].get(m), frontiers, tolerance, method, extras[m])
        for m in months
    ]
    return LagSeries(
        method=method,
        method_version=METHOD_VERSION,
        definition=DEFINITIONS[method],
        parameters=LagParameters(
            method=method,
            tolerance=tolerance,
            draws=draws,
            seed=seed,
            from_month=from_month,
            to_month=to_month,
        ),
        series=series,
        summary=summarize(series),
        uncertainty=uncertainty_method(draws, seed),
    )


EN_DASH = "\u2013"


def months_text(value: int | float) -> str:
    return f"{value:g} month" + ("" if abs(value) == 1 else "s")


def plotted_lag(point: LagPoint) -> float | None:
    """The value a chart places a month at: the exact lag, or the bound of a censored one."""
    value = point.lag_months if point.lag_months is not None else point.lag_months_at_least
    return None if value is None else float(value)


def lag_phrase(point: LagPoint) -> str:
    """A month's lag in words, never more exact than it is: `4 months (90%: 3-6)`,
    with an en dash."""
    if point.lag_months is None and point.lag_months_at_least is None:
        return point.note or "no lag"
    if point.lag_months is None:
        assert point.lag_months_at_least is not None
        text = f"at least {months_text(abs(point.lag_months_at_least))}"
    else:
        text = months_text(abs(point.lag_months))
    if point.interval is not None:
        low, high = point.interval.low, point.interval.high
        text += f" (90%: {low:g}{EN_DASH}{high:g})" if low != high else f" (90%: {low:g})"
    return text


def trend_phrase(summary: LagSummary) -> str:
    """`no clear trend (slope +0.29 months a year; 90% interval -2.07 to +2.65)`."""
    words = summary.trend.value.replace("_", " ")
    if summary.slope_months_per_year is None:
        return words
    slope = f"slope {summary.slope_months_per_year:+g} months a year"
    interval = summary.slope_interval
    if interval is None:
        return f"{words} ({slope})"
    return f"{words} ({slope}; 90% interval {interval.low:+g} to {interval.high:+g})"


def method_card(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> LagMethodCard:
    return LagMethodCard(
        methods={method.value: rule for method, rule in DEFINITIONS.items()},
        method_version=METHOD_VERSION,
        inputs="Arena scores of the overall (`full`) text leaderboard, one per model and "
        "month; only models the registry places in the US or China count, and each "
        "country's best model per month is its top.",
        censoring="When the earliest matching month is a country's first month of data, the "
        "true lag may be longer: `lag_months` is null and `lag_months_at_least` gives the "
        "bound; charts draw it as a bound (an open triangle), never as a point.",
        unclassified="A model of unknown country never counts for either country and is never "
        "dropped silently: each month lists, in `unclassified_above`, those scoring above the "
        "US's or China's best. Classifying them (a registry write) corrects every figure.",
        uncertainty=uncertainty_method(draws, seed),
        trend_rule=TREND_RULE,
    )


LAG_CSV_COLUMNS = (
    "month",
    "lag_months",
    "lag_months_at_least",
    "censored",
    "leader",
    "matched_month",
    "gap_points",
    "us_model",
    "us_organization",
    "us_score",
    "us_ci_lower",
    "us_ci_upper",
    "cn_model",
    "cn_organization",
    "cn_score",
    "cn_ci_lower",
    "cn_ci_upper",
    "interval_low",
    "interval_high",
    "interval_level",
    "interval_censored_share",
    "p_china_ahead",
    "interval_note",
    "unclassified_above",
    "note",
)


def lag_rows(series: LagSeries) -> list[dict[str, object]]:
    """One flat row per month, for CSV: the series as a spreadsheet reads it."""
    rows: list[dict[str, object]] = []
    for point in series.series:
        row: dict[str, object] = {
            "month": point.month,
            "lag_months": point.lag_months,
            "lag_months_at_least": point.lag_months_at_least,
            "censored": point.censored,
            "leader": point.leader,
            "matched_month": point.matched_month,
            "gap_points": point.gap_points,
            "interval_note": point.interval_note,
            "p_china_ahead": point.p_china_ahead,
            "unclassified_above": "; ".join(
                f"{m.model} ({m.score:g}, above {'+'.join(m.above)})"
                for m in point.unclassified_above
            ),
            "note": point.note,
        }
        for prefix, top in (("us", point.us), ("cn", point.cn)):
            if top is not None:
                row |= {
                    f"{prefix}_model": top.model,
                    f"{prefix}_organization": top.organization,
                    f"{prefix}_score": top.score,
                    f"{prefix}_ci_lower": top.ci_lower,
                    f"{prefix}_ci_upper": top.ci_upper,
                }
        if point.interval is not None:
            row |= {
                "interval_low": point.interval.low,
                "interval_high": point.interval.high,
                "interval_level": point.interval.level,
                "interval_censored_share": point.interval.censored_share,
            }
        rows.append(row)
    return rows
