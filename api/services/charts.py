"""Charts of the computed figures: SVG strings and Vega-Lite v5 specs.

The renderers are pure functions of the response models (LagSeries, FundingTotals) and a
source line. `arena_citations` and `funding_citations` gather that line's facts from the
records a chart shows, so the credit comes from the data, like the numbers.

Every SVG is self-contained and accessible: role="img", a <title> and a <desc> (the text
alternative) named by aria-labelledby, a viewBox with width 100% so it scales to its
container, presentation attributes only (no <style>, so an inlined chart cannot restyle
the page around it), system fonts, and every text escaped.
"""

import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import and_
from sqlmodel import Session, col, select

from api.models.funding import FundingRecord
from api.models.lag import LagMethod, LagPoint, LagSeries, TopModel
from api.models.models import ArenaScore
from api.models.sources import Source
from api.models.totals import FundingTotals, TotalsGroup
from api.services.lag import (
    lag_phrase,
    month_index,
    month_label,
    months_text,
    plotted_lag,
    trend_phrase,
)
from api.services.revisions import current_filter

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
WIDTH = 440
INK = "#1b1f24"
MUTED = "#4a5560"
GRID = "#d9dee4"
PAPER = "#ffffff"
COUNTRIES = ("US", "CN")
COUNTRY_NAMES = {"US": "US", "CN": "China"}
# Both meet WCAG's 4.5:1 against white; the countries also differ by marker shape.
COUNTRY_COLORS = {"US": "#1f5fae", "CN": "#b8321a"}
OTHER_COLOR = "#5f6b7a"
LAG_COLOR = "#6b3fa0"
SOURCE_WRAP = 62  # characters per source line at SOURCE_SIZE in WIDTH units
SOURCE_SIZE = 12
LINE_HEIGHT = 15

ARENA_TITLE = "Top Arena (Elo) score by month"
LAG_TITLE = "Months China's best model trails the US's"
FUNDING_TITLE = "Funding totals by measure, level, country and period"
CENSORED_LEGEND = "censored: a lower bound"

Attrs = Mapping[str, str | float | None]


# --- markup -----------------------------------------------------------------------------


def _number(value: float) -> str:
    """Coordinates with two decimals at most, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attribute(value: str | float) -> str:
    return quoteattr(value if isinstance(value, str) else _number(value))


def _element(name: str, attrs: Attrs, *children: str) -> str:
    """An element; `children` are markup already escaped."""
    rendered = "".join(f" {k}={_attribute(v)}" for k, v in attrs.items() if v is not None)
    if not children:
        return f"<{name}{rendered}/>"
    return f"<{name}{rendered}>{''.join(children)}</{name}>"


def _text(x: float, y: float, content: str, attrs: Attrs | None = None) -> str:
    return _element("text", {"x": x, "y": y, **(attrs or {})}, escape(content))


def _tooltip(content: str) -> str:
    return _element("title", {}, escape(content))


def _svg(chart_id: str, title: str, description: str, height: float, body: Sequence[str]) -> str:
    return _element(
        "svg",
        {
            "xmlns": SVG_NS,
            "id": chart_id,
            "class": "chart",
            "viewBox": f"0 0 {WIDTH} {_number(height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": FONT,
            "font-size": 13,
            "fill": INK,
        },
        _element("title", {"id": f"{chart_id}-title"}, escape(title)),
        _element("desc", {"id": f"{chart_id}-desc"}, escape(description)),
        _element("rect", {"width": WIDTH, "height": height, "fill": PAPER}),
        *body,
    )


def _header(title: str, subtitle: str) -> list[str]:
    return [
        _text(12, 24, title, {"font-size": 17, "font-weight": "bold"}),
        _text(12, 44, subtitle, {"fill": MUTED}),
    ]


def wrap_source(source: str) -> list[str]:
    return textwrap.wrap(source, SOURCE_WRAP) or [source]


def _footer(source: str, top: float) -> tuple[list[str], float]:
    """The source line(s) from `top`; returns them and the chart's height."""
    lines = wrap_source(source)
    texts = [
        _text(12, top + i * LINE_HEIGHT, line, {"font-size": SOURCE_SIZE, "fill": MUTED})
        for i, line in enumerate(lines)
    ]
    return texts, top + (len(lines) - 1) * LINE_HEIGHT + 12


# --- scales and axes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Linear:
    """Maps [low, high] in data units onto [start, end] in SVG units."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        if span == 0:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / span * (self.end - self.start)


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


@dataclass(frozen=True)
class Plot:
    """The plotting area of a chart, in SVG units."""

    left: float
    right: float
    top: float
    bottom: float


def _month_scale(months: Sequence[int], plot: Plot) -> Linear:
    # Half a month of margin on each side keeps the first and last markers off the axes.
    return Linear(min(months) - 0.5, max(months) + 0.5, plot.left, plot.right)


def _month_axis(months: Sequence[int], x: Linear, plot: Plot) -> list[str]:
    first, last = min(months), max(months)
    every = max(1, math.ceil((last - first + 1) / 5))
    ticks = range(first, last + 1, every)
    lines = [{"x1": plot.left, "x2": plot.right, "y1": plot.bottom, "y2": plot.bottom}]
    lines += [{"x1": x(m), "x2": x(m), "y1": plot.bottom, "y2": plot.bottom + 5} for m in ticks]
    labels = [
        _text(x(m), plot.bottom + 20, month_label(m), {"text-anchor": "middle"}) for m in ticks
    ]
    title = _text(
        (plot.left + plot.right) / 2, plot.bottom + 40, "Month", {"text-anchor": "middle"}
    )
    return [
        _element(
            "g",
            {"class": "x-axis"},
            _element("g", {"stroke": MUTED}, *(_element("line", line) for line in lines)),
            *labels,
            title,
        )
    ]


def _value_axis(ticks: Sequence[float], y: Linear, plot: Plot, label: str, unit: str) -> list[str]:
    parts = []
    for tick in ticks:
        position = y(tick)
        parts.append(
            _element(
                "line",
                {"x1": plot.left, "x2": plot.right, "y1": position, "y2": position, "stroke": GRID},
            )
        )
        parts.append(
            _text(plot.left - 8, position, _number(tick), {"text-anchor": "end", "dy": "0.32em"})
        )
    middle = (plot.top + plot.bottom) / 2
    title = _text(
        -middle,
        16,
        f"{label}, {unit}",
        {"transform": "rotate(-90)", "text-anchor": "middle"},
    )
    return [_element("g", {"class": "y-axis"}, *parts, title)]


def _empty(plot: Plot, message: str) -> str:
    return _text(
        (plot.left + plot.right) / 2,
        (plot.top + plot.bottom) / 2,
        message,
        {"text-anchor": "middle", "fill": MUTED, "font-size": 15},
    )


def _path(points: Sequence[tuple[int, float]], x: Linear, y: Linear) -> str:
    """A polyline through (month, value) points; a month without a value breaks it."""
    commands = []
    previous: int | None = None
    for month, value in points:
        verb = "L" if previous is not None and month == previous + 1 else "M"
        commands.append(f"{verb}{_number(x(month))},{_number(y(value))}")
        previous = month
    return " ".join(commands)


# --- text -------------------------------------------------------------------------------


def score_text(score: float) -> str:
    return f"{score:.0f}" if float(score).is_integer() else f"{score:.1f}"


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def month_range_text(series: LagSeries) -> str:
    params = series.parameters
    if params.from_month and params.to_month:
        return f"{params.from_month} to {params.to_month}"
    if params.from_month:
        return f"from {params.from_month}"
    if params.to_month:
        return f"up to {params.to_month}"
    return "all months"


def _top(point: LagPoint, country: str) -> TopModel | None:
    return point.us if country == "US" else point.cn


def _tops(series: LagSeries, country: str) -> list[tuple[str, TopModel]]:
    return [(p.month, top) for p in series.series if (top := _top(p, country)) is not None]


def arena_description(series: LagSeries) -> str:
    if not series.series:
        return f"No Arena scores for the US or China ({month_range_text(series)})."
    first, last = series.series[0].month, series.series[-1].month
    parts = [
        f"The highest Arena (Elo) score among US models and among Chinese models in each "
        f"month from {first} to {last}."
    ]
    for country in COUNTRIES:
        tops = _tops(series, country)
        if not tops:
            parts.append(f"{country_name(country)}: no scores.")
            continue
        (start_month, start), (end_month, end) = tops[0], tops[-1]
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


# --- the Elo chart ------------------------------------------------------------------------

ELO_PLOT = Plot(left=62, right=WIDTH - 58, top=84, bottom=304)


def _swatch(country: str, cx: float, cy: float) -> str:
    """A circle for the US, a square for China: the lines differ by more than colour."""
    color = COUNTRY_COLORS.get(country, OTHER_COLOR)
    if country == "US":
        return _element("circle", {"cx": cx, "cy": cy, "r": 4.5, "fill": color})
    return _element("rect", {"x": cx - 4, "y": cy - 4, "width": 8, "height": 8, "fill": color})


def _marker(country: str, cx: float, cy: float, tooltip: str) -> str:
    return _element(
        "g",
        {"class": "point", "data-country": country},
        _tooltip(tooltip),
        _swatch(country, cx, cy),
    )


def _legend_item(x: float, y: float, swatch: str, label: str) -> str:
    return _element(
        "g", {"class": "legend-item"}, swatch, _text(x + 18, y, label, {"dy": "0.32em"})
    )


def _country_legend(y: float) -> list[str]:
    items, x = [], 12.0
    for country in COUNTRIES:
        items.append(_legend_item(x, y, _swatch(country, x + 6, y), country_name(country)))
        x += 80
    return [_element("g", {"class": "legend"}, *items)]


def arena_svg(series: LagSeries, source: str) -> str:
    """Each country's top Arena score per month: one path per country, a marker per month."""
    plot = ELO_PLOT
    subtitle = f"Best US and Chinese model each month; {month_range_text(series)}"
    body = [*_header(ARENA_TITLE, subtitle), *_country_legend(64)]
    lines = {country: _tops(series, country) for country in COUNTRIES}
    scores = [top.score for tops in lines.values() for _, top in tops]
    if not scores:
        body.append(_empty(plot, "No Arena scores in this selection"))
    else:
        months = [month_index(p.month) for p in series.series]
        x = _month_scale(months, plot)
        ticks = nice_ticks(min(scores), max(scores))
        y = Linear(ticks[0], ticks[-1], plot.bottom, plot.top)
        body += _value_axis(ticks, y, plot, "Arena (Elo) score", "points")
        body += _month_axis(months, x, plot)
        for country, tops in lines.items():
            body += _country_line(country, tops, x, y)
    footer, height = _footer(source, plot.bottom + 66)
    return _svg("arena-chart", ARENA_TITLE, arena_description(series), height, body + footer)


def _country_line(
    country: str, tops: Sequence[tuple[str, TopModel]], x: Linear, y: Linear
) -> list[str]:
    if not tops:
        return []
    color = COUNTRY_COLORS.get(country, OTHER_COLOR)
    values = [(month_index(month), top.score) for month, top in tops]
    path = _element(
        "path",
        {
            "d": _path(values, x, y),
            "fill": "none",
            "stroke": color,
            "stroke-width": 2.5,
            "stroke-linejoin": "round",
            "data-country": country,
            "class": "series",
        },
    )
    markers = [
        _marker(
            country,
            x(month_index(month)),
            y(top.score),
            f"{month} {country_name(country)}: {top.model} ({top.organization}), "
            f"{score_text(top.score)} points",
        )
        for month, top in tops
    ]
    last_month, last = tops[-1]
    label = _text(
        x(month_index(last_month)) + 9,
        y(last.score),
        country_name(country),
        {"dy": "0.32em", "fill": color, "font-weight": "bold"},
    )
    return [path, _element("g", {"class": "points"}, *markers), label]


# --- the lag chart ------------------------------------------------------------------------

LAG_PLOT = Plot(left=52, right=WIDTH - 20, top=84, bottom=304)


def _lag_marker(point: LagPoint, cx: float, cy: float) -> str:
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
    tooltip = f"{point.month}: {lag_phrase(point)}{censored}{who}{matched}{chance}"
    if point.censored:  # a lower bound: an open triangle pointing up, never a plain point
        mark = _element(
            "path",
            {
                "d": f"M{_number(cx - 5.5)},{_number(cy + 4)} L{_number(cx)},{_number(cy - 6)} "
                f"L{_number(cx + 5.5)},{_number(cy + 4)} Z",
                "fill": PAPER,
                "stroke": LAG_COLOR,
                "stroke-width": 2,
            },
        )
    else:
        mark = _element(
            "circle",
            {"cx": cx, "cy": cy, "r": 4.5, "fill": LAG_COLOR, "stroke": LAG_COLOR},
        )
    return _element(
        "g",
        {"class": "point", "data-censored": "true" if point.censored else "false"},
        _tooltip(tooltip),
        mark,
    )


@dataclass(frozen=True)
class LagMark:
    month: int
    lag: float
    censored: bool


def _lag_marks(points: Iterable[LagPoint]) -> list[LagMark]:
    return [
        LagMark(month_index(p.month), value, p.censored)
        for p in points
        if (value := plotted_lag(p)) is not None
    ]


def _interval_band(points: Sequence[LagPoint], x: Linear, y: Linear) -> list[str]:
    """The 90% interval as a band over each run of consecutive months that have one."""
    runs: list[list[LagPoint]] = []
    for point in points:
        if point.interval is None:
            continue
        month = month_index(point.month)
        if runs and month_index(runs[-1][-1].month) == month - 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    shapes = []
    for run in runs:
        xs = [x(month_index(p.month)) for p in run]
        if len(run) == 1:  # one month: a short band centred on it
            xs = [xs[0] - 7, xs[0] + 7]
            run = [run[0], run[0]]
        top = [
            f"{_number(px)},{_number(y(p.interval.high))}"
            for px, p in zip(xs, run, strict=True)
            if p.interval
        ]
        bottom = [
            f"{_number(px)},{_number(y(p.interval.low))}"
            for px, p in reversed(list(zip(xs, run, strict=True)))
            if p.interval
        ]
        shapes.append(
            _element(
                "polygon",
                {
                    "points": " ".join(top + bottom),
                    "fill": LAG_COLOR,
                    "fill-opacity": 0.18,
                    "stroke": "none",
                    "class": "interval",
                },
            )
        )
    return shapes


def _lag_segments(marks: Sequence[LagMark], x: Linear, y: Linear) -> tuple[str, str]:
    """Path data for the solid (exact) and the dashed (touching a censored month) segments."""
    exact: list[str] = []
    censored: list[str] = []
    for before, after in pairwise(marks):
        if after.month != before.month + 1:
            continue
        segment = (
            f"M{_number(x(before.month))},{_number(y(before.lag))} "
            f"L{_number(x(after.month))},{_number(y(after.lag))}"
        )
        (censored if before.censored or after.censored else exact).append(segment)
    return " ".join(exact), " ".join(censored)


def _lag_swatch(x: float, y: float, *, censored: bool) -> str:
    return _element(
        "g",
        {"stroke": LAG_COLOR, "stroke-width": 2},
        _element(
            "line",
            {
                "x1": x,
                "x2": x + 14,
                "y1": y,
                "y2": y,
                "stroke-dasharray": "3 2" if censored else None,
            },
        ),
        _element(
            "path",
            {
                "d": f"M{_number(x + 2)},{_number(y + 4)} L{_number(x + 7)},{_number(y - 5)} "
                f"L{_number(x + 12)},{_number(y + 4)} Z",
                "fill": PAPER,
            },
        )
        if censored
        else _element("circle", {"cx": x + 7, "cy": y, "r": 4, "fill": LAG_COLOR}),
    )


def _lag_legend(y: float) -> list[str]:
    return [
        _element(
            "g",
            {"class": "legend"},
            _legend_item(12, y, _lag_swatch(12, y, censored=False), "exact"),
            _legend_item(82, y, _lag_swatch(82, y, censored=True), CENSORED_LEGEND),
            _legend_item(
                300,
                y,
                _element(
                    "rect",
                    {
                        "x": 300,
                        "y": y - 6,
                        "width": 14,
                        "height": 12,
                        "fill": LAG_COLOR,
                        "fill-opacity": 0.18,
                    },
                ),
                "90% interval",
            ),
        )
    ]


def lag_svg(series: LagSeries, source: str) -> str:
    """The lag by month; censored months hollow and joined by dashes, as the legend says."""
    plot = LAG_PLOT
    tolerance = score_text(series.parameters.tolerance)
    unit = "months" if series.method is LagMethod.whole_month else "months, interpolated"
    subtitle = f"{month_range_text(series).capitalize()}; tolerance {tolerance} Elo points"
    body = [*_header(LAG_TITLE, subtitle), *_lag_legend(64)]
    points = [p for p in series.series if plotted_lag(p) is not None]
    if points:
        months = [month_index(p.month) for p in series.series]
        body += _lag_plot(points, months, unit, plot)
    else:
        body.append(_empty(plot, "No month has scores for both countries"))
    footer, height = _footer(source, plot.bottom + 66)
    return _svg("lag-chart", LAG_TITLE, lag_description(series), height, body + footer)


def _lag_plot(
    points: Sequence[LagPoint], months: Sequence[int], unit: str, plot: Plot
) -> list[str]:
    marks = _lag_marks(points)
    lags = [mark.lag for mark in marks]
    bounds = [v for p in points if p.interval for v in (p.interval.low, p.interval.high)]
    ticks = nice_ticks(min(0.0, *lags, *bounds), max(1.0, *lags, *bounds), integer=True)
    y = Linear(ticks[0], ticks[-1], plot.bottom, plot.top)
    x = _month_scale(months, plot)
    parts = [
        *_value_axis(ticks, y, plot, "Lag", unit),
        *_month_axis(months, x, plot),
        *_zero_line(y, plot),
        *_interval_band(points, x, y),
    ]
    exact, censored = _lag_segments(marks, x, y)
    line: dict[str, str | float | None] = {
        "fill": "none",
        "stroke": LAG_COLOR,
        "stroke-width": 2.5,
        "class": "series",
    }
    if exact:
        parts.append(_element("path", {**line, "d": exact, "data-censored": "false"}))
    if censored:
        dashed = {**line, "d": censored, "stroke-dasharray": "6 4", "data-censored": "true"}
        parts.append(_element("path", dashed))
    markers = [
        _lag_marker(point, x(mark.month), y(mark.lag))
        for point, mark in zip(points, marks, strict=True)
    ]
    parts.append(_element("g", {"class": "points"}, *markers))
    return parts


def _zero_line(y: Linear, plot: Plot) -> list[str]:
    line = _element(
        "line",
        {"x1": plot.left, "x2": plot.right, "y1": y(0), "y2": y(0), "stroke": MUTED},
    )
    if y.low >= 0:
        return [line]
    return [line, _text(plot.left + 6, y(0) + 16, "below 0: China leads", {"fill": MUTED})]


# --- the funding chart --------------------------------------------------------------------

FUNDING_LEFT = 86
FUNDING_RIGHT = WIDTH - 20
FUNDING_TOP = 72
LEVEL_ROW = 24
BAR_ROW = 24
BAR_HEIGHT = 16
BILLION = 1e9


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


BOUND_WORDS = {
    "exact": "exact",
    "at_least": "at least",
    "at_most": "at most",
    "approximate": "approximate",
    "range": "range",
    "unbounded": "no bound",
}


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


def _levels(totals: FundingTotals) -> list[tuple[str, list[TotalsGroup]]]:
    """Groups per measure and level, largest first; within one, largest first."""
    by_level: dict[str, list[TotalsGroup]] = defaultdict(list)
    for group in totals.groups:
        label = f"{measure_name(group.measure)} · {level_name(group.level)}"
        by_level[label].append(group)
    ordered = sorted(
        by_level.items(), key=lambda item: (-sum(g.amount_usd for g in item[1]), item[0])
    )
    return [(level, sorted(groups, key=lambda g: -g.amount_usd)) for level, groups in ordered]


def funding_description(totals: FundingTotals) -> str:
    statuses = ", ".join(str(s) for s in totals.parameters.statuses)
    if not totals.groups:
        return f"No funding records count with statuses {statuses}."
    amounts = "; ".join(
        f"{country_name(g.country or '?')} {level_name(g.level).lower()}, "
        f"{measure_name(g.measure).lower()} {g.period}: {bounded_money(g)}"
        for _, groups in _levels(totals)
        for g in groups
    )
    return (
        f"Funding totals in US dollars, each group one measure and one period (never added "
        f"together), counting {statuses} amounts; {len(totals.excluded)} records left out "
        f"(announced or target amounts, overlaps, no USD figure). {amounts}. "
        f"Data version {totals.data_version}."
    )


def _bar(group: TotalsGroup, x: Linear, top: float) -> str:
    country = group.country or "?"
    color = COUNTRY_COLORS.get(country.split("-")[0], OTHER_COLOR)
    end = x(group.amount_usd)
    middle = top + BAR_HEIGHT / 2
    label = f"{bounded_money(group)} · {group.period}"
    inside = end > FUNDING_RIGHT - 200  # no room after the bar: write the amount inside it
    amount = _text(
        end - 6 if inside else end + 6,
        middle,
        label,
        {
            "dy": "0.32em",
            "text-anchor": "end" if inside else "start",
            "fill": PAPER if inside else INK,
        },
    )
    tooltip = (
        f"{country_name(country)}, {level_name(group.level).lower()}: {label} "
        f"from {group.count} record{'s' if group.count != 1 else ''}"
    )
    return _element(
        "g",
        {
            "class": "bar",
            "data-country": country,
            "data-level": group.level,
            "data-measure": group.measure,
            "data-period": group.period,
            "data-bound": group.bound,
        },
        _tooltip(tooltip),
        _text(
            FUNDING_LEFT - 8, middle, country_name(country), {"dy": "0.32em", "text-anchor": "end"}
        ),
        _element(
            "rect",
            {
                "x": FUNDING_LEFT,
                "y": top,
                "width": max(end - FUNDING_LEFT, 1),
                "height": BAR_HEIGHT,
                "fill": color,
            },
        ),
        amount,
    )


def funding_svg(totals: FundingTotals, source: str) -> str:
    """Horizontal bars, one per country within each funding level, in US dollars."""
    statuses = ", ".join(str(s) for s in totals.parameters.statuses)
    body = _header(FUNDING_TITLE, f"USD; counting {statuses}")
    levels = _levels(totals)
    rows = sum(len(groups) for _, groups in levels)
    bottom = FUNDING_TOP + len(levels) * LEVEL_ROW + rows * BAR_ROW
    if not levels:
        bottom = FUNDING_TOP + 120
        body.append(
            _empty(Plot(FUNDING_LEFT, FUNDING_RIGHT, FUNDING_TOP, bottom), "No funding counted")
        )
    else:
        ticks = nice_ticks(0, max(g.amount_usd for g in totals.groups) / BILLION, 4)
        x = Linear(0, ticks[-1] * BILLION, FUNDING_LEFT, FUNDING_RIGHT)
        body += _money_axis(ticks, x, FUNDING_TOP, bottom)
        top = float(FUNDING_TOP)
        for level, groups in levels:
            body.append(_text(12, top + 16, level_name(level), {"font-weight": "bold"}))
            top += LEVEL_ROW
            for group in groups:
                body.append(_bar(group, x, top + (BAR_ROW - BAR_HEIGHT) / 2))
                top += BAR_ROW
    footer, height = _footer(source, bottom + 66)
    return _svg("funding-chart", FUNDING_TITLE, funding_description(totals), height, body + footer)


def _money_axis(ticks: Sequence[float], x: Linear, top: float, bottom: float) -> list[str]:
    parts = []
    for tick in ticks:
        position = x(tick * BILLION)
        parts.append(
            _element(
                "line", {"x1": position, "x2": position, "y1": top, "y2": bottom, "stroke": GRID}
            )
        )
        parts.append(_text(position, bottom + 20, _number(tick), {"text-anchor": "middle"}))
    title = _text(
        (FUNDING_LEFT + FUNDING_RIGHT) / 2,
        bottom + 40,
        "Total, billions of US dollars",
        {"text-anchor": "middle"},
    )
    return [_element("g", {"class": "x-axis"}, *parts, title)]


# --- Vega-Lite ----------------------------------------------------------------------------


def _month_field() -> dict[str, Any]:
    return {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": "Month"}


def _usermeta(series: LagSeries, source: str) -> dict[str, Any]:
    return {
        "data_version": series.data_version,
        "parameters": series.parameters.model_dump(mode="json"),
        "source": source,
    }


def arena_vega_lite(series: LagSeries, source: str) -> dict[str, Any]:
    """The Elo chart as a Vega-Lite v5 spec with the data inlined."""
    rows = [
        {
            "month": month,
            "country": country,
            "country_name": country_name(country),
            "model": top.model,
            "organization": top.organization,
            "score": top.score,
        }
        for country in COUNTRIES
        for month, top in _tops(series, country)
    ]
    names = [country_name(c) for c in COUNTRIES]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": ARENA_TITLE, "subtitle": wrap_source(source)},
        "description": arena_description(series),
        "width": "container",
        "height": 300,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
        "encoding": {
            "x": _month_field(),
            "y": {
                "field": "score",
                "type": "quantitative",
                "title": "Arena (Elo) score, points",
                "scale": {"zero": False},
            },
            "color": {
                "field": "country_name",
                "type": "nominal",
                "title": "Country",
                "scale": {"domain": names, "range": [COUNTRY_COLORS[c] for c in COUNTRIES]},
            },
            "shape": {
                "field": "country_name",
                "type": "nominal",
                "scale": {"domain": names, "range": ["circle", "square"]},
            },
            "tooltip": [
                {"field": "month", "type": "nominal", "title": "Month"},
                {"field": "country_name", "type": "nominal", "title": "Country"},
                {"field": "model", "type": "nominal", "title": "Model"},
                {"field": "organization", "type": "nominal", "title": "Organization"},
                {"field": "score", "type": "quantitative", "title": "Score (points)"},
            ],
        },
        "usermeta": _usermeta(series, source),
    }


def _lag_row(point: LagPoint) -> dict[str, Any]:
    return {
        "month": point.month,
        "lag_months": point.lag_months,
        "lag_months_at_least": point.lag_months_at_least,
        "lag_plotted": plotted_lag(point),
        "lag_text": lag_phrase(point),
        "interval_low": point.interval.low if point.interval else None,
        "interval_high": point.interval.high if point.interval else None,
        "p_china_ahead": point.p_china_ahead,
        "censored": point.censored,
        "leader": point.leader.value if point.leader else None,
        "matched_month": point.matched_month,
        "us_model": point.us.model if point.us else None,
        "us_score": point.us.score if point.us else None,
        "cn_model": point.cn.model if point.cn else None,
        "cn_score": point.cn.score if point.cn else None,
    }


def lag_vega_lite(series: LagSeries, source: str) -> dict[str, Any]:
    """The lag chart as a Vega-Lite v5 spec: censored months as open up-triangles (a lower
    bound) on dashes, the 90% interval as a band."""
    x = _month_field()
    y = {
        "field": "lag_plotted",
        "type": "quantitative",
        "title": "Lag, months (below 0: China leads)",
    }
    censored_scale = {"domain": [False, True]}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": LAG_TITLE, "subtitle": wrap_source(source)},
        "description": lag_description(series),
        "width": "container",
        "height": 300,
        "data": {"values": [_lag_row(p) for p in series.series]},
        "layer": [
            {"mark": {"type": "rule", "color": MUTED}, "encoding": {"y": {"datum": 0}}},
            {
                "mark": {"type": "area", "color": LAG_COLOR, "opacity": 0.18},
                "transform": [{"filter": "datum.interval_low != null"}],
                "encoding": {
                    "x": x,
                    "y": {"field": "interval_low", "type": "quantitative"},
                    "y2": {"field": "interval_high"},
                },
            },
            {
                "mark": {"type": "line", "color": LAG_COLOR, "strokeWidth": 2.5},
                "encoding": {
                    "x": x,
                    "y": y,
                    "strokeDash": {
                        "field": "censored",
                        "type": "nominal",
                        "title": "Censored (a lower bound)",
                        "scale": {**censored_scale, "range": [[1, 0], [6, 4]]},
                    },
                },
            },
            {
                "mark": {"type": "point", "size": 70, "strokeWidth": 2, "color": LAG_COLOR},
                "encoding": {
                    "x": x,
                    "y": y,
                    "shape": {
                        "field": "censored",
                        "type": "nominal",
                        "legend": None,
                        "scale": {**censored_scale, "range": ["circle", "triangle-up"]},
                    },
                    "fill": {
                        "field": "censored",
                        "type": "nominal",
                        "legend": None,
                        "scale": {**censored_scale, "range": [LAG_COLOR, PAPER]},
                    },
                    "tooltip": [
                        {"field": "month", "type": "nominal", "title": "Month"},
                        {"field": "lag_text", "type": "nominal", "title": "Lag"},
                        {
                            "field": "p_china_ahead",
                            "type": "quantitative",
                            "title": "P(China ahead)",
                        },
                        {"field": "censored", "type": "nominal", "title": "Censored"},
                        {"field": "us_model", "type": "nominal", "title": "US model"},
                        {"field": "us_score", "type": "quantitative", "title": "US score"},
                        {"field": "cn_model", "type": "nominal", "title": "China model"},
                        {"field": "cn_score", "type": "quantitative", "title": "China score"},
                    ],
                },
            },
        ],
        "usermeta": _usermeta(series, source),
    }


# --- where the numbers come from ----------------------------------------------------------


@dataclass(frozen=True, order=True)
class Citation:
    """One (publication, place in it, who it cites) behind some of a chart's records."""

    publisher: str
    title: str
    location: str
    cited_source: str  # "" when the publication gives the figure as its own


def source_line(citations: Iterable[Citation]) -> str:
    """`Source: LMsys ChatArena via <publisher>, <title>, Appendix B`, one part per work."""
    works: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for citation in citations:
        cited, locations = works[(citation.publisher, citation.title)]
        locations.add(citation.location)
        if citation.cited_source:
            cited.add(citation.cited_source)
    if not works:
        return "Source: no records in this selection"
    parts = []
    for (publisher, title), (cited, locations) in sorted(works.items()):
        work = ", ".join(p for p in (publisher, title, "; ".join(sorted(locations))) if p)
        parts.append(f"{', '.join(sorted(cited))} via {work}" if cited else work)
    return ("Source: " if len(parts) == 1 else "Sources: ") + " | ".join(parts)


def _citation(location: str, cited: str | None, source_key: str, source: Source | None) -> Citation:
    if source is None:  # the source record is missing at as_of: credit its key
        return Citation(source_key, "", location, cited or "")
    return Citation(source.publisher, source.title, location, cited or "")


def arena_citations(
    session: Session, series: LagSeries, as_of: datetime | None = None
) -> list[Citation]:
    """Where the Arena scores plotted from `series` come from."""
    shown = {(p.month, top.model) for p in series.series for top in (p.us, p.cn) if top}
    if not shown:
        return []
    statement = (
        select(ArenaScore, Source)
        .outerjoin(
            Source,
            and_(col(Source.key) == col(ArenaScore.source_key), current_filter(Source, as_of)),
        )
        .where(
            current_filter(ArenaScore, as_of),
            col(ArenaScore.retired).is_(False),
            col(ArenaScore.month).in_({month for month, _ in shown}),
        )
    )
    found: set[Citation] = set()
    for score, source in session.exec(statement):
        if (score.month, score.model_key) in shown:
            found.add(
                _citation(score.source_location, score.cited_source, score.source_key, source)
            )
    return sorted(found)


def funding_citations(
    session: Session, totals: FundingTotals, as_of: datetime | None = None
) -> list[Citation]:
    """Where the funding records counted in `totals` come from."""
    keys = {key for group in totals.groups for key in group.record_keys}
    if not keys:
        return []
    statement = (
        select(FundingRecord, Source)
        .outerjoin(
            Source,
            and_(col(Source.key) == col(FundingRecord.source_key), current_filter(Source, as_of)),
        )
        .where(
            current_filter(FundingRecord, as_of),
            col(FundingRecord.retired).is_(False),
            col(FundingRecord.key).in_(keys),
        )
    )
    return sorted(
        {
            _citation(record.source_location, record.cited_source, record.source_key, source)
            for record, source in session.exec(statement)
        }
    )
