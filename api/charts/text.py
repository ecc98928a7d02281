"""The words charts and pages print about the figures: numbers, names and descriptions.

Plain text, never markup: the spec carries it and the renderer or template escapes it.
"""

import textwrap

from api.models.lag import LagPoint, LagSeries, TopModel
from api.models.totals import FundingTotals, TotalsGroup
from api.services.lag import lag_phrase, months_text, plotted_lag, trend_phrase

COUNTRIES = ("US", "CN")
COUNTRY_NAMES = {"US": "US", "CN": "China"}
SOURCE_WRAP = 62  # characters per source line at the chart's width

ARENA_TITLE = "Top Arena (Elo) score by month"
LAG_TITLE = "Months China's best model trails the US's"
FUNDING_TITLE = "Funding totals by measure, level, country and period"
EXACT_LEGEND = "exact"
CENSORED_LEGEND = "censored: a lower bound"
BILLION = 1e9

BOUND_WORDS = {
    "exact": "exact",
    "at_least": "at least",
    "at_most": "at most",
    "approximate": "approximate",
    "range": "range",
    "unbounded": "no bound",
}


def score_text(score: float) -> str:
    return f"{score:.0f}" if float(score).is_integer() else f"{score:.1f}"


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def wrap_source(source: str) -> list[str]:
    return textwrap.wrap(source, SOURCE_WRAP) or [source]


def month_range_text(series: LagSeries) -> str:
    params = series.parameters
    if params.from_month and params.to_month:
        return f"{params.from_month} to {params.to_month}"
    if params.from_month:
        return f"from {params.from_month}"
    if params.to_month:
        return f"up to {params.to_month}"
    return "all months"


def top_of(point: LagPoint, country: str) -> TopModel | None:
    return point.us if country == "US" else point.cn


def tops(series: LagSeries, country: str) -> list[tuple[str, TopModel]]:
    """(month, top model) for every month in which `country` has a score."""
    return [(p.month, top) for p in series.series if (top := top_of(p, country)) is not None]


def money_text(usd: float) -> str:
    """$395 bn, $78.9 bn, $2.35 bn, $327 m."""
    if abs(usd) >= BILLION:
        billions = usd / BILLION
        decimals = 0 if abs(billions) >= 100 else 1 if abs(billions) >= 10 else 2
        return f"${billions:.{decimals}f} bn"
    if abs(usd) >= 1e6:
        return f"${usd / 1e6:.0f} m"
    return f"${usd:,.0f}"


def level_name(level: str | None) -> str:
    return (level or "unknown level").replace("_", " ").capitalize()


def measure_name(measure: str) -> str:
    return measure.replace("_", " ").capitalize()


def bound_text(bound: str) -> str:
    return BOUND_WORDS.get(bound, bound)


def bounded_money(group: TotalsGroup) -> str:
    """$10.4 bn, at least $320 bn, $16.7 bn a year (a rate over a longer period or a fiscal
    year), $2.00 bn to $9.00 bn a year."""
    amount = money_text(group.amount_usd)
    if group.bound == "range" and group.amount_usd_max is not None:
        amount = f"{amount} to {money_text(group.amount_usd_max)}"
    prefix = {"at_least": "at least ", "at_most": "at most ", "approximate": "about "}
    yearly = " a year" if group.per_year and not group.period.isdigit() else ""
    return prefix.get(group.bound, "") + amount + yearly


def statuses_text(totals: FundingTotals) -> str:
    return ", ".join(str(s) for s in totals.parameters.statuses)


def funding_levels(totals: FundingTotals) -> list[tuple[str, list[TotalsGroup]]]:
    """Groups per measure and level, largest first; within one, largest first."""
    by_level: dict[str, list[TotalsGroup]] = {}
    for group in totals.groups:
        label = f"{measure_name(group.measure)} · {level_name(group.level)}"
        by_level.setdefault(label, []).append(group)
    ordered = sorted(
        by_level.items(), key=lambda item: (-sum(g.amount_usd for g in item[1]), item[0])
    )
    return [(level, sorted(groups, key=lambda g: -g.amount_usd)) for level, groups in ordered]


# --- hover text, one per mark ----------------------------------------------------------------


def arena_hover(month: str, country: str, top: TopModel) -> str:
    return (
        f"{month} {country_name(country)}: {top.model} ({top.organization}), "
        f"{score_text(top.score)} points"
    )


def lag_hover(point: LagPoint) -> str:
    who = (
        f"; US {point.us.model} {score_text(point.us.score)} vs China {point.cn.model} "
        f"{score_text(point.cn.score)}"
        if point.us and point.cn
        else ""
    )
    matched = f"; matched {point.matched_month}" if point.matched_month else ""
    censored = f" ({CENSORED_LEGEND}; the true lag may be longer)" if point.censored else ""
    chance = (
        f"; P(China ahead) {point.p_china_ahead:.0%}" if point.p_china_ahead is not None else ""
    )
    return f"{point.month}: {lag_phrase(point)}{censored}{who}{matched}{chance}"


def funding_hover(group: TotalsGroup) -> str:
    records = f"{group.count} record{'s' if group.count != 1 else ''}"
    return (
        f"{country_name(group.country or '?')}, {level_name(group.level).lower()}: "
        f"{bounded_money(group)} · {group.period} from {records}"
    )


# --- text alternatives, one per chart --------------------------------------------------------


def arena_description(series: LagSeries) -> str:
    if not series.series:
        return f"No Arena scores for the US or China ({month_range_text(series)})."
    first, last = series.series[0].month, series.series[-1].month
    parts = [
        f"The highest Arena (Elo) score among US models and among Chinese models in each "
        f"month from {first} to {last}."
    ]
    for country in COUNTRIES:
        found = tops(series, country)
        if not found:
            parts.append(f"{country_name(country)}: no scores.")
            continue
        (start_month, start), (end_month, end) = found[0], found[-1]
        parts.append(
            f"{country_name(country)}: from {score_text(start.score)} ({start.model}, "
            f"{start_month}) to {score_text(end.score)} ({end.model}, {end_month})."
        )
    both = [p for p in series.series if p.us and p.cn and p.gap_points is not None]
    if both:
        latest = both[-1]
        gap = latest.gap_points or 0.0
        ahead = "the US" if gap > 0 else "China"
        lead = f"{ahead} ahead by {score_text(abs(gap))} points" if gap else "tied"
        parts.append(f"In {latest.month}, the latest month with both, {lead}.")
    parts.append(f"Data version {series.data_version}.")
    return " ".join(parts)


def lag_description(series: LagSeries) -> str:
    points = [p for p in series.series if plotted_lag(p) is not None]
    tolerance = score_text(series.parameters.tolerance)
    if not points:
        return (
            f"No month has Arena scores for both the US and China "
            f"({month_range_text(series)}, tolerance {tolerance} Elo points)."
        )
    censored = [p.month for p in points if p.censored]
    with_interval = [p.month for p in points if p.interval is not None]
    summary = series.summary
    parts = [
        f"How many months China's best Arena model trails the US's best "
        f"({series.method.value.replace('_', ' ')} method, tolerance {tolerance} Elo points), "
        f"{points[0].month} to {points[-1].month}; a negative lag means China leads.",
        f"{len(points)} months with a lag, {len(censored)} censored"
        + (f" (only a lower bound is known: {', '.join(censored)})." if censored else "."),
    ]
    if with_interval:
        parts.append(
            f"{len(with_interval)} months have a 90% interval from the scores' published "
            "intervals, drawn as a band."
        )
    if summary.min is not None and summary.max is not None:
        parts.append(
            f"Uncensored lag from {months_text(summary.min)} to {months_text(summary.max)}, "
            f"median {summary.median:g}; {trend_phrase(summary)}."
        )
    latest = points[-1]
    parts.append(f"Latest: {latest.month}, {lag_phrase(latest)}.")
    parts.append(f"Data version {series.data_version}.")
    return " ".join(parts)


def funding_description(totals: FundingTotals) -> str:
    statuses = statuses_text(totals)
    if not totals.groups:
        return f"No funding records count with statuses {statuses}."
    amounts = "; ".join(
        f"{country_name(g.country or '?')} {level_name(g.level).lower()}, "
        f"{measure_name(g.measure).lower()} {g.period}: {bounded_money(g)}"
        for _, groups in funding_levels(totals)
        for g in groups
    )
    return (
        f"Funding totals in US dollars, each group one measure and one period (never added "
        f"together), counting {statuses} amounts; {len(totals.excluded)} records left out "
        f"(announced or target amounts, overlaps, no USD figure). {amounts}. "
        f"Data version {totals.data_version}."
    )
