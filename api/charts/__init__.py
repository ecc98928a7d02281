"""Charts of the computed figures: one Vega-Lite spec per chart, rendered by vl-convert.

`specs` builds each chart's spec from a response model and its source line; `render` turns a
spec into the SVG the dashboard inlines (with its text alternative) or into a PNG; `text`
holds the words both the charts and the dashboard print. Nothing here queries the database.
"""
