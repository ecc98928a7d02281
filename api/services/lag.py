"""The Elo lag: how many months China's best model trails the US's best. Pure functions.

    lag(m) = m - min{ m' <= m : top_US(m') >= top_CN(m) - tolerance }     (whole months)

The earliest m' is found by binary search on the US running maximum, which is
non-decreasing, so a series of n months costs O(n log n). When no US month qualifies,
China leads and the same rule runs with the countries swapped, giving a negative lag. A
match in a country's first month of data is censored: the true lag may be longer.
"""

import statistics
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from api.models.lag import (
    LagMethod,
    LagParameters,
    LagPoint,
    LagSeries,
    LagSummary,
    Leader,
    TopModel,
    Trend,
)

METHOD_VERSION = "1"
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
FLAT_SLOPE = 0.1  # months per year: below this the trend is called flat


@dataclass(frozen=True)
class ArenaPoint:
    month: str
    model: str
    organization: str
    country: str
    score: float


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
                model=point.model, organization=point.organization, score=point.score
            )
    return tops


def _leader(us: TopModel, cn: TopModel) -> Leader:
    if us.score > cn.score:
        return Leader.US
    if cn.score > us.score:
        return Leader.CN
    return Leader.tied


def _lag_point(
    month: int,
    us: TopModel | None,
    cn: TopModel | None,
    frontiers: dict[str, Frontier],
    tolerance: float,
    method: LagMethod,
) -> LagPoint:
    label = month_label(month)
    if us is None or cn is None:
        missing = "US" if us is None else "China"
        return LagPoint(
            month=label,
            lag_months=None,
            censored=False,
            leader=None,
            matched_month=None,
            gap_points=None,
            us=us,
            cn=cn,
            note=f"no {missing} score this month",
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
    return LagPoint(
        month=label,
        lag_months=-value if sign < 0 and value else value,
        censored=censored,
        leader=_leader(us, cn),
        matched_month=month_label(int(matched)),
        gap_points=us.score - cn.score,
        us=us,
        cn=cn,
    )


def _trend(points: Sequence[LagPoint]) -> tuple[float | None, Trend]:
    exact = [(month_index(p.month), p.lag_months) for p in points]
    pairs = [(x, y) for x, y in exact if y is not None]
    if len(pairs) < 2:
        return None, Trend.unknown
    mean_x = statistics.fmean(x for x, _ in pairs)
    mean_y = statistics.fmean(y for _, y in pairs)
    spread = sum((x - mean_x) ** 2 for x, _ in pairs)
    if spread == 0:
        return None, Trend.unknown
    slope = sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread * 12
    if abs(slope) < FLAT_SLOPE:
        return round(slope, 3), Trend.flat
    return round(slope, 3), Trend.shortening if slope < 0 else Trend.widening


def summarize(points: Sequence[LagPoint]) -> LagSummary:
    exact = [p for p in points if p.lag_months is not None and not p.censored]
    values = [p.lag_months for p in exact if p.lag_months is not None]
    slope, trend = _trend(exact)
    return LagSummary(
        months=len(points),
        uncensored_months=len(values),
        min=min(values) if values else None,
        max=max(values) if values else None,
        mean=round(statistics.fmean(values), 3) if values else None,
        median=statistics.median(values) if values else None,
        slope_months_per_year=slope,
        trend=trend,
    )


def compute_lag(
    points: Iterable[ArenaPoint],
    *,
    tolerance: float = 0.0,
    method: LagMethod = LagMethod.whole_month,
    from_month: str | None = None,
    to_month: str | None = None,
) -> LagSeries:
    """The lag series. History before `from_month` still counts as the frontier."""
    tops = top_by_country(points)
    frontiers = {country: Frontier.build(tops[country]) for country in COUNTRIES}
    months = sorted(set(tops["US"]) | set(tops["CN"]))
    low = month_index(from_month) if from_month else None
    high = month_index(to_month) if to_month else None
    series = [
        _lag_point(m, tops["US"].get(m), tops["CN"].get(m), frontiers, tolerance, method)
        for m in months
        if (low is None or m >= low) and (high is None or m <= high)
    ]
    return LagSeries(
        method=method,
        method_version=METHOD_VERSION,
        definition=DEFINITIONS[method],
        parameters=LagParameters(
            method=method, tolerance=tolerance, from_month=from_month, to_month=to_month
        ),
        series=series,
        summary=summarize(series),
    )
