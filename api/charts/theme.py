"""How every chart looks: colours, fonts and sizes, as one Vega-Lite `config`."""

from typing import Any

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#4a5560"
GRID = "#d9dee4"
PAPER = "#ffffff"
# Both meet WCAG's 4.5:1 against white; the countries also differ by marker shape.
COUNTRY_COLORS = {"US": "#1f5fae", "CN": "#b8321a"}
OTHER_COLOR = "#5f6b7a"
LAG_COLOR = "#6b3fa0"
INTERVAL_FILL = "#e4dcee"  # LAG_COLOR at 18% on white: opaque, so the legend swatch matches
SOURCE_SIZE = 12


def config() -> dict[str, Any]:
    return {
        "font": FONT,
        "background": PAPER,
        "padding": 12,
        "view": {"stroke": None},
        "title": {
            "anchor": "start",
            "fontSize": 17,
            "fontWeight": "bold",
            "color": INK,
            "subtitleColor": MUTED,
            "subtitleFontSize": 13,
            "offset": 12,
        },
        "axis": {
            "labelColor": INK,
            "titleColor": INK,
            "labelFontSize": 12,
            "titleFontSize": 13,
            "titleFontWeight": "normal",
            "domainColor": MUTED,
            "tickColor": MUTED,
            "gridColor": GRID,
        },
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            "labelFontSize": 13,
            "labelColor": INK,
            "symbolStrokeWidth": 2,
            "labelLimit": 0,
        },
        "text": {"fontSize": 13, "color": INK},
    }
