"""Each chart as one Vega-Lite v5 spec with its data inlined: the only drawing of it.

A spec is a pure function of a response model and its source line. `usermeta` carries what
the renderer and clients need beside the drawing: the chart's id, the data version, the
parameters and the source line. Every mark has a `description`: it becomes the mark's ARIA
label and, in the SVG, its hover text.
"""

import textwrap
from typing import Any

from api.charts.text import (
    ARENA_TITLE,
    BILLION,
    CENSORED_LEGEND,
    COUNTRIES,
    EXACT_LEGEND,
    FUNDING_TITLE,
    LAG_TITLE,
    arena_description,
    arena_hover,
    bounded_money,
    country_name,
    funding_description,
    funding_hover,
    funding_levels,
    lag_description,
    lag_hover,
    month_range_text,
    score_text,
    statuses_text,
    tops,
    wrap_source,
)
from api.charts.theme import (
    COUNTRY_COLORS,
    INTERVAL_FILL,
    LAG_COLOR,
    MUTED,
    OTHER_COLOR,
    PAPER,
    SOURCE_SIZE,
    config,
)
from api.models.lag import LagMethod, LagPoint, LagSeries
from api.models.totals import FundingTotals
from api.services.lag import lag_phrase, plotted_lag

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PLOT_WIDTH = 330
PLOT_HEIGHT = 220
BAR_STEP = 24
TITLE_WRAP = 42  # characters of a 17 px bold title across a chart
FUNDING_WIDTH = 250
CHARACTER_WIDTH = 7.2  # pixels per character of a 13 px label, on average
Spec = dict[str, Any]


def _month() -> Spec:
    """The month axis; UTC, so that "2024-01" stays January whatever the renderer's zone."""
    return {
        "field": "month",
        "type": "temporal",
        "timeUnit": "utcyearmonth",
        "title": "Month",
        "axis": {
            "format": "%Y-%m",
            "tickCount": {"interval": "month", "step": 3},
            "grid": False,
            "labelOverlap": True,
        },
        # Room at each end keeps the first and last markers off the axes.
        "scale": {"padding": 12},
    }


def _framed(
    chart_id: str, title: str, subtitle: str, description: str, source: str, body: Spec
) -> Spec:
    """Title and subtitle on top, the source line under the plot, the data in `body`."""
    footer = {
        "text": wrap_source(source),
        "orient": "bottom",
        "anchor": "start",
        "fontSize": SOURCE_SIZE,
        "fontWeight": "normal",
        "color": MUTED,
        "offset": 14,
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        # A long title wraps rather than widening the chart (and shrinking it on the page).
        "title": {"text": textwrap.wrap(title, TITLE_WRAP), "subtitle": subtitle},
        "description": description,
        "config": config(),
        "vconcat": [{"title": footer, **body}],
        "usermeta": {"chart_id": chart_id},
    }


def _empty_layer(message: str) -> Spec:
    """A message in the middle of an empty plot, so the chart says why it is blank."""
    return {
        "data": {"values": [{"message": message}]},
        "mark": {"type": "text", "fontSize": 15, "color": MUTED},
        "encoding": {
            "text": {"field": "message"},
            "x": {"value": PLOT_WIDTH / 2},
            "y": {"value": PLOT_HEIGHT / 2},
        },
    }


def _series_meta(spec: Spec, series: LagSeries, source: str) -> Spec:
    spec["usermeta"] |= {
        "data_version": series.data_version,
        "parameters": series.parameters.model_dump(mode="json"),
        "source": source,
    }
    return spec


# --- the Elo chart ---------------------------------------------------------------------------


def arena_spec(series: LagSeries, source: str) -> Spec:
    """Each country's top Arena score per month: a line per country, a marker per month."""
    rows = []
    for country in COUNTRIES:
        found = tops(series, country)
        for index, (month, top) in enumerate(found):
            rows.append(
                {
                    "month": month,
                    "country": country,
                    "country_name": country_name(country),
                    "model": top.model,
                    "organization": top.organization,
                    "score": top.score,
                    "hover": arena_hover(month, country, top),
                    "last": index == len(found) - 1,
                }
            )
    names = [country_name(c) for c in COUNTRIES]
    color = {
        "field": "country_name",
        "type": "nominal",
        "title": None,
        "scale": {"domain": names, "range": [COUNTRY_COLORS[c] for c in COUNTRIES]},
    }
    x, y = (
        _month(),
        {
            "field": "score",
            "type": "quantitative",
            "title": "Arena (Elo) score, points",
            "scale": {"zero": False, "nice": True},
            "axis": {"format": "d", "grid": True},
        },
    )
    layers: list[Spec] = [
        {
            "mark": {"type": "line", "strokeWidth": 2.5, "strokeJoin": "round"},
            "encoding": {"x": x, "y": y, "color": color},
        },
        {
            "name": "arena_points",
            "mark": {"type": "point", "filled": True, "size": 64, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "shape": {
                    "field": "country_name",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": names, "range": ["circle", "square"]},
                },
                "description": {"field": "hover"},
                "tooltip": {"field": "hover"},
            },
        },
        {
            "transform": [{"filter": "datum.last"}],
            "mark": {"type": "text", "align": "left", "dx": 9, "fontWeight": "bold"},
            "encoding": {
                "x": x,
                "y": y,
                "text": {"field": "country_name"},
                "color": color,
            },
        },
    ]
    body: Spec = {
        "width": PLOT_WIDTH,
        "height": PLOT_HEIGHT,
        "data": {"values": rows},
        "layer": layers if rows else [_empty_layer("No Arena scores in this selection")],
    }
    subtitle = f"Best US and Chinese model each month; {month_range_text(series)}"
    spec = _framed("arena-chart", ARENA_TITLE, subtitle, arena_description(series), source, body)
    return _series_meta(spec, series, source)


# --- the lag chart ---------------------------------------------------------------------------


def _lag_rows(series: LagSeries) -> list[Spec]:
    """One row per month; `next_*` is the following month's lag, when both months have one."""
    rows = []
    followers = [*series.series[1:], None] if series.series else []
    for point, following in zip(series.series, followers, strict=True):
        joined = (
            following is not None
            and plotted_lag(point) is not None
            and plotted_lag(following) is not None
            and _consecutive(point.month, following.month)
        )
        rows.append(
            _lag_row(point)
            | {
                "next_month": following.month if following and joined else None,
                "next_lag": plotted_lag(following) if following and joined else None,
                # A segment touching a censored month is dashed: its end is only a bound.
                "segment": "dashed"
                if point.censored or (following is not None and following.censored)
                else "solid",
            }
        )
    return rows


def _consecutive(month: str, following: str) -> bool:
    year, number = int(month[:4]), int(month[5:7])
    return following == (f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}")


def _lag_row(point: LagPoint) -> Spec:
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
        "kind": CENSORED_LEGEND if point.censored else EXACT_LEGEND,
        "leader": point.leader.value if point.leader else None,
        "matched_month": point.matched_month,
        "us_model": point.us.model if point.us else None,
        "us_score": point.us.score if point.us else None,
        "cn_model": point.cn.model if point.cn else None,
        "cn_score": point.cn.score if point.cn else None,
        "hover": lag_hover(point),
        "band_start": _mid_month(point.month, -1),
        "band_end": _mid_month(point.month, 0),
    }


def _mid_month(month: str, offset: int) -> str:
    """The 16th of the month `offset` months from `month`: about half a month from its start."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}-16"


def _kind_scale(values: list[Any]) -> Spec:
    return {"domain": [EXACT_LEGEND, CENSORED_LEGEND], "range": values}


def _lag_layers(rows: list[Spec], unit: str) -> list[Spec]:
    x = _month()
    y = {
        "field": "lag_plotted",
        "type": "quantitative",
        "title": f"Lag, {unit}",
        "axis": {"grid": True, "tickMinStep": 1},
    }
    zero: Spec = {"mark": {"type": "rule", "color": MUTED}, "encoding": {"y": {"datum": 0}}}
    interval: Spec = {
        "name": "interval",
        "transform": [{"filter": "datum.interval_low != null"}],
        "mark": {"type": "rect", "color": INTERVAL_FILL},
        "encoding": {
            # Centred on the month's marker, a month wide: adjacent months join in a band.
            "x": {"field": "band_start", "type": "temporal", "scale": {"type": "utc"}},
            "x2": {"field": "band_end"},
            "y": {"field": "interval_low", "type": "quantitative"},
            "y2": {"field": "interval_high"},
            # Opacity, not fill, names the band in the legend: fill tells the points apart.
            "opacity": {
                "datum": "90% interval",
                "scale": {"range": [1]},
                "legend": {"title": None, "symbolType": "square", "symbolFillColor": INTERVAL_FILL},
            },
            "description": {"value": "the 90% interval"},
        },
    }
    layers: list[Spec] = [
        zero,
        *([interval] if any(row["interval_low"] is not None for row in rows) else []),
        {
            "transform": [{"filter": "datum.next_lag != null"}],
            "mark": {"type": "rule", "color": LAG_COLOR, "strokeWidth": 2.5},
            "encoding": {
                "x": x,
                "x2": {"field": "next_month", "timeUnit": "utcyearmonth"},
                "y": y,
                "y2": {"field": "next_lag"},
                "strokeDash": {
                    "field": "segment",
                    "type": "nominal",
                    "legend": None,
                    # Not the points' domain: Vega-Lite would merge the two legends into none.
                    "scale": {"domain": ["solid", "dashed"], "range": [[1, 0], [6, 4]]},
                },
            },
        },
        {
            "name": "lag_points",
            "transform": [{"filter": "datum.lag_plotted != null"}],
            "mark": {
                "type": "point",
                "size": 70,
                "strokeWidth": 2,
                "color": LAG_COLOR,
                "opacity": 1,
            },
            "encoding": {
                "x": x,
                "y": y,
                # A censored month is a lower bound: an open triangle pointing up.
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": _kind_scale(["circle", "triangle-up"]),
                    "legend": {"title": None},
                },
                "fill": {
                    "field": "kind",
                    "type": "nominal",
                    "scale": _kind_scale([LAG_COLOR, PAPER]),
                    "legend": {"title": None},
                },
                "description": {"field": "hover"},
                "tooltip": {"field": "hover"},
            },
        },
    ]
    if any((row["lag_plotted"] or 0) < 0 for row in rows):
        layers.append(
            {
                "data": {"values": [{"note": "below 0: China leads"}]},
                "mark": {"type": "text", "align": "left", "dx": 6, "dy": 14, "color": MUTED},
                "encoding": {"text": {"field": "note"}, "x": {"value": 0}, "y": {"datum": 0}},
            }
        )
    return layers


def lag_spec(series: LagSeries, source: str) -> Spec:
    """The lag by month: censored months as open up-triangles on dashes (a lower bound), the
    90% interval as a band."""
    rows = _lag_rows(series)
    unit = "months" if series.method is LagMethod.whole_month else "months, interpolated"
    body: Spec = {
        "width": PLOT_WIDTH,
        "height": PLOT_HEIGHT,
        "data": {"values": rows},
        "layer": _lag_layers(rows, unit)
        if any(row["lag_plotted"] is not None for row in rows)
        else [_empty_layer("No month has scores for both countries")],
    }
    tolerance = score_text(series.parameters.tolerance)
    subtitle = f"{month_range_text(series).capitalize()}; tolerance {tolerance} Elo points"
    spec = _framed("lag-chart", LAG_TITLE, subtitle, lag_description(series), source, body)
    return _series_meta(spec, series, source)


# --- the funding chart -----------------------------------------------------------------------


def funding_spec(totals: FundingTotals, source: str) -> Spec:
    """Horizontal bars, one per country within each measure and level, in US dollars."""
    rows = [
        {
            "level": level.capitalize(),  # "Fund size · state semiconductor fund", as before
            "level_order": order,
            "country": group.country or "?",
            "country_name": country_name(group.country or "?"),
            "level_key": group.level,
            "measure": group.measure,
            "period": group.period,
            "bound": group.bound,
            "amount_usd": group.amount_usd,
            "billions": group.amount_usd / BILLION,
            "label": f"{bounded_money(group)} · {group.period}",
            "inside": False,
            "row": f"{order}.{index}",
            "color": COUNTRY_COLORS.get((group.country or "?").split("-")[0], OTHER_COLOR),
            "hover": funding_hover(group),
        }
        for order, (level, groups) in enumerate(funding_levels(totals))
        for index, group in enumerate(groups)
    ]
    subtitle = f"USD; counting {statuses_text(totals)}"
    description = funding_description(totals)
    if not rows:
        body: Spec = {
            "width": PLOT_WIDTH,
            "height": 120,
            "layer": [_empty_layer("No funding counted")],
        }
        body["layer"][0]["encoding"]["y"] = {"value": 60}
    else:
        body = _funding_facets(rows)
    spec = _framed("funding-chart", FUNDING_TITLE, subtitle, description, source, body)
    spec["usermeta"] |= {"data_version": totals.data_version, "source": source}
    return spec


def _funding_facets(rows: list[Spec]) -> Spec:
    widest = max(row["billions"] for row in rows) * 1.05
    for row in rows:  # no room after a long bar: its amount is written inside it, if it fits
        end = row["billions"] / widest * FUNDING_WIDTH
        room = len(row["label"]) * CHARACTER_WIDTH + 12
        row["inside"] = end + room > FUNDING_WIDTH and end > room
    x = {
        "field": "billions",
        "type": "quantitative",
        "title": "Total, billions of US dollars",
        "scale": {"domain": [0, widest], "nice": False},
        "axis": {"tickCount": 4, "grid": True},
    }
    y = {
        "field": "row",
        "type": "nominal",
        "title": None,
        "axis": {"labelExpr": "split(datum.label, '|')[1]", "ticks": False, "domain": False},
    }
    label = {"x": {"field": "billions", "type": "quantitative"}, "y": y, "text": {"field": "label"}}
    return {
        "data": {"values": rows},
        "transform": [
            # The axis labels a row by its country; the row key keeps equal names apart.
            {"calculate": "datum.row + '|' + datum.country_name", "as": "row"}
        ],
        "facet": {
            "row": {
                "field": "level",
                "type": "nominal",
                "title": None,
                "sort": {"field": "level_order"},
                "header": {
                    "labelAngle": 0,
                    "labelOrient": "top",
                    "labelAnchor": "start",
                    "labelFontWeight": "bold",
                    "labelFontSize": 13,
                    "labelPadding": 2,
                    "labelBaseline": "bottom",
                },
            }
        },
        "spec": {
            "width": FUNDING_WIDTH,
            "height": {"step": BAR_STEP},
            "layer": [
                {
                    "name": "funding_bars",
                    "mark": {"type": "bar", "height": 16},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "fill": {"field": "color", "type": "nominal", "scale": None},
                        "description": {"field": "hover"},
                        "tooltip": {"field": "hover"},
                    },
                },
                {
                    "transform": [{"filter": "!datum.inside"}],
                    "mark": {"type": "text", "align": "left", "dx": 6},
                    "encoding": label,
                },
                {
                    "transform": [{"filter": "datum.inside"}],
                    "mark": {"type": "text", "align": "right", "dx": -6, "color": PAPER},
                    "encoding": label,
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
        "spacing": 8,
    }
