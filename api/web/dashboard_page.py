"""The dashboard page: server-rendered HTML with inline SVG charts and no script.

Everything it shows comes in a DashboardView built by the dashboard router from the
services; this module only lays it out. Every text is escaped, every link stays on this
service (an external URL is printed, never linked or loaded), and the CSS uses system
fonts, so the page works on an air-gapped machine.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from string import Template
from urllib.parse import urlencode

from api.models.lag import LagPoint, LagSeries
from api.models.scorecard import PillarAssessment, PillarScore, Scorecard, Verdict
from api.models.sources import SourcePublic
from api.models.totals import FundingTotals
from api.services.charts import (
    arena_svg,
    bound_text,
    bounded_money,
    country_name,
    funding_svg,
    lag_svg,
    level_name,
    measure_name,
    score_text,
)
from api.services.lag import lag_phrase, months_text, plotted_lag, trend_phrase

PILLAR_NAMES = {
    "funding": "Government and VC funding",
    "regulation": "Regulation",
    "talent": "Talent",
    "diffusion": "Diffusion",
    "models": "Model performance",
    "compute": "Compute",
}
VERDICT_TEXT = {
    Verdict.US: "US leads",
    Verdict.CN: "China leads",
    Verdict.contested: "Contested",
    Verdict.not_stated: "No leader stated",
}


@dataclass(frozen=True)
class DashboardFilters:
    from_month: str | None
    to_month: str | None
    tolerance: float

    def query(self) -> str:
        """The filters as a query string for the chart links ("" when none is set)."""
        pairs = {"from": self.from_month, "to": self.to_month}
        present = {name: value for name, value in pairs.items() if value}
        if self.tolerance:
            present["tolerance"] = score_text(self.tolerance)
        return "?" + urlencode(present) if present else ""


@dataclass(frozen=True)
class DashboardView:
    filters: DashboardFilters
    data_version: int
    series: LagSeries
    arena_source: str
    totals: FundingTotals
    funding_source: str
    scorecard: Scorecard
    sources: Sequence[SourcePublic]


PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>US&ndash;China AI gap · aigap dashboard</title>
<style>$css</style>
</head>
<body>
<a class="skip" href="#main">Skip to the charts</a>
<header class="page-header">
<h1>The US&ndash;China AI gap</h1>
<p class="meta">Computed from the records of <a href="/docs">the aigap API</a>.
Data version <strong id="data-version">$data_version</strong>.</p>
</header>
<main id="main">
$filters
$models
$funding
$scorecard
$sources
</main>
<footer class="page-footer"><p>$footer</p></footer>
</body>
</html>
"""
)

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5560; --line: #d9dee4;
  --paper: #fff; --panel: #f5f7f9; --focus: #0b57d0; --us: #1f5fae; --cn: #b8321a; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial,
  sans-serif; }
.page-header, main, .page-footer { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.75rem; margin: 1rem 0 0.25rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); }
a { color: var(--focus); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: 8px; }
.skip:focus { left: 8px; }
.meta, .note, figcaption, .page-footer { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-end;
  background: var(--panel); padding: 12px 16px; border-radius: 6px; }
.filters h2 { flex-basis: 100%; margin: 0; font-size: 1.05rem; border: 0; }
.filters .note { flex-basis: 100%; margin: 0; font-size: 0.9rem; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field label { font-weight: 600; }
input, button { font: inherit; padding: 6px 8px; border: 1px solid #8a96a3;
  border-radius: 4px; min-height: 40px; }
button { background: var(--focus); color: #fff; border-color: var(--focus); cursor: pointer; }
.actions { display: flex; gap: 16px; align-items: center; }
.grid { display: grid; gap: 24px;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); }
figure { margin: 0; min-width: 0; }
svg.chart { display: block; width: 100%; height: auto; border: 1px solid var(--line);
  border-radius: 6px; }
figcaption { font-size: 0.9rem; margin-top: 6px; }
.headline { font-size: 1.1rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); }
caption { text-align: left; padding: 4px 0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { font-weight: 700; white-space: nowrap; }
.verdict-US { color: var(--us); }
.verdict-CN { color: var(--cn); }
.verdict-contested { color: var(--muted); }
.verdict-not_stated { color: var(--muted); }
.bottom-line { font-size: 1.15rem; font-weight: 700; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--focus); }
code { overflow-wrap: anywhere; }
@media (max-width: 720px) {
  h1 { font-size: 1.4rem; }
  .scorecard thead { position: absolute; left: -9999px; }
  .scorecard tr { display: block; border-bottom: 2px solid var(--line); padding: 6px 0; }
  .scorecard th, .scorecard td { display: block; border: 0; padding: 2px 0; }
  .scorecard td { text-align: left; }
  .scorecard td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  table { font-size: 0.875rem; }
  th, td { padding: 4px; }
}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


# --- filters ------------------------------------------------------------------------------


def _filters_form(filters: DashboardFilters) -> str:
    def month_field(name: str, label: str, value: str | None) -> str:
        return (
            f'<div class="field"><label for="{name}">{label}</label>'
            f'<input id="{name}" name="{name}" type="month" value="{_e(value or "")}" '
            f'pattern="[0-9]{{4}}-[0-9]{{2}}" placeholder="YYYY-MM" '
            f'aria-describedby="months-help"></div>'
        )

    return (
        '<form class="filters" method="get" action="/dashboard" aria-labelledby="filters-h">'
        '<h2 id="filters-h">Filters</h2>'
        + month_field("from", "From month", filters.from_month)
        + month_field("to", "To month", filters.to_month)
        + '<div class="field"><label for="tolerance">Lag tolerance (Elo points)</label>'
        '<input id="tolerance" name="tolerance" type="number" min="0" max="1000" step="any" '
        f'value="{_e(score_text(filters.tolerance))}" aria-describedby="tolerance-help">'
        "</div>"
        '<div class="actions"><button type="submit">Apply</button>'
        '<a href="/dashboard">Reset</a></div>'
        '<p class="note"><span id="months-help">Months (YYYY-MM) limit the Arena charts; '
        "the frontier before the first month still counts.</span> "
        '<span id="tolerance-help">The tolerance is how many Elo points a US score may fall '
        "short of China's and still count as a match.</span></p>"
        "</form>"
    )


# --- model performance --------------------------------------------------------------------


def _latest_lag(series: LagSeries) -> LagPoint | None:
    for point in reversed(series.series):
        if point.us and point.cn and point.leader:
            return point
    return None


def lag_headline(series: LagSeries) -> str:
    latest = _latest_lag(series)
    if latest is None or not latest.us or not latest.cn:
        return "No month in this selection has Arena scores for both the US and China."
    value = plotted_lag(latest) or 0.0
    us = f"{latest.us.model}, {score_text(latest.us.score)} points"
    if value > 0:
        relation = f"trails the US's best ({us}) by {lag_phrase(latest)}"
    elif value < 0:
        relation = f"leads the US's best ({us}) by {lag_phrase(latest)}"
    else:
        relation = f"is level with the US frontier ({us})"
    china = f"{latest.cn.model}, {score_text(latest.cn.score)} points"
    text = f"In {latest.month}, China's best model ({china}) {relation}."
    if latest.p_china_ahead is not None:
        text += f" Chance that China's best is ahead that month: {latest.p_china_ahead:.0%}."
    if latest.unclassified_above:
        names = ", ".join(m.model for m in latest.unclassified_above[:5])
        text += (
            f" {len(latest.unclassified_above)} model(s) of unknown country score above a "
            f"country's best ({names}): classify them and the figure may change."
        )
    return text


def _lag_summary(series: LagSeries) -> str:
    summary = series.summary
    if summary.min is None or summary.max is None:
        return f"{summary.uncensored_months} of {summary.months} months have an exact lag."
    return (
        f"{summary.uncensored_months} of {summary.months} months have an exact lag: "
        f"{summary.min:g} to {months_text(summary.max)}, median {summary.median:g}; "
        f"trend: {trend_phrase(summary)}."
    )


def _cell(value: str, *, number: bool = False) -> str:
    return f'<td class="number">{_e(value)}</td>' if number else f"<td>{_e(value)}</td>"


def _lag_row(point: LagPoint) -> str:
    value = plotted_lag(point)
    lag = "" if value is None else lag_phrase(point)
    if value is not None and value < 0:
        lag = f"China ahead: {lag}"
    if point.censored:
        lag = f"{lag} (censored)"
    chance = "" if point.p_china_ahead is None else f"{point.p_china_ahead:.0%}"
    gap = "" if point.gap_points is None else score_text(point.gap_points)
    return (
        f'<tr><th scope="row">{_e(point.month)}</th>'
        + _cell(point.us.model if point.us else "—")
        + _cell(score_text(point.us.score) if point.us else "", number=True)
        + _cell(point.cn.model if point.cn else "—")
        + _cell(score_text(point.cn.score) if point.cn else "", number=True)
        + _cell(gap, number=True)
        + _cell(lag or (point.note or ""), number=True)
        + _cell(chance, number=True)
        + "</tr>"
    )


def _lag_table(series: LagSeries) -> str:
    header = "".join(
        f'<th scope="col">{_e(name)}</th>'
        for name in (
            "Month",
            "US best model",
            "US score",
            "China best model",
            "China score",
            "Gap (points)",
            "Lag (months)",
            "P(China ahead)",
        )
    )
    rows = "".join(_lag_row(point) for point in series.series)
    return (
        "<details><summary>The numbers behind both charts</summary>"
        '<div class="table-wrap"><table><caption class="note">Top Arena (Elo) score of each '
        "country by month, and the lag</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div></details>"
    )


def _chart_links(path: str, query: str) -> str:
    return (
        f'<a href="{_e(path + "chart.svg" + query)}">SVG</a> · '
        f'<a href="{_e(path + "chart.vl.json" + query)}">Vega-Lite</a>'
    )


def _models_section(view: DashboardView) -> str:
    query = view.filters.query()
    series = view.series
    return (
        '<section aria-labelledby="models-h"><h2 id="models-h">Model performance</h2>'
        f'<p class="headline">{_e(lag_headline(series))}</p>'
        f'<p class="note">{_e(_lag_summary(series))}</p>'
        '<div class="grid">'
        f"<figure>{arena_svg(series, view.arena_source)}"
        f"<figcaption>Best-scoring model of each country per month; hover a marker for the "
        f"model. {_chart_links('/v1/models/arena-scores/', query)}</figcaption></figure>"
        f"<figure>{lag_svg(series, view.arena_source)}"
        "<figcaption>Open triangles on dashed lines are censored months: the match fell "
        "in the first month of data, so the lag is at least that long. The shaded band is "
        "the 90% interval where the scores publish intervals. "
        f"{_chart_links('/v1/models/lag/', query)}</figcaption></figure>"
        "</div>"
        f"{_lag_table(series)}</section>"
    )


# --- funding ------------------------------------------------------------------------------


def _excluded_list(totals: FundingTotals) -> str:
    items = "".join(
        f'<li><a href="/v1/funding/records/{_e(item.key)}">{_e(item.key)}</a>: '
        f"{_e(item.reason)}</li>"
        for item in totals.excluded
    )
    return (
        f"<details><summary>{len(totals.excluded)} records left out, and why</summary>"
        f"<ul>{items}</ul></details>"
    )


def _funding_section(view: DashboardView) -> str:
    totals = view.totals
    statuses = ", ".join(str(s) for s in totals.parameters.statuses)
    return (
        '<section aria-labelledby="funding-h"><h2 id="funding-h">Funding</h2>'
        '<div class="grid">'
        f"<figure>{funding_svg(totals, view.funding_source)}"
        '<figcaption><a href="/v1/funding/totals">Totals as JSON</a></figcaption></figure>'
        "<div>"
        f'<p class="headline">{len(totals.groups)} groups, each one measure and one '
        "period: no total adds budgets, fund sizes and capex plans, or different years.</p>"
        f'<p class="note">Statuses counted: {_e(statuses)}. Announced and target amounts '
        "count only when asked for; a record the source says overlaps another is counted "
        "once; bound says whether a sum is exact, a floor (at least), a ceiling (at most) "
        'or approximate. <a href="/v1/funding/comparisons">The report\'s comparisons</a>.</p>'
        f"{_funding_table(totals)}{_excluded_list(totals)}"
        "</div></div></section>"
    )


def _funding_table(totals: FundingTotals) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(country_name(g.country or "?"))}</th>'
        f"<td>{_e(level_name(g.level))}</td>"
        f"<td>{_e(measure_name(g.measure))}</td>"
        f"<td>{_e(g.period)}</td>"
        f'<td class="number">{_e(bounded_money(g))}</td>'
        f"<td>{_e(bound_text(g.bound))}</td>"
        f'<td class="number">{g.count}</td></tr>'
        for g in sorted(totals.groups, key=lambda g: (g.measure, -g.amount_usd))
    )
    header = "".join(
        f'<th scope="col">{name}</th>'
        for name in ("Country", "Level", "Measure", "Period", "USD", "Bound", "Records")
    )
    return (
        f'<div class="table-wrap"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


# --- scorecard ----------------------------------------------------------------------------


def probability_text(assessment: PillarAssessment | None) -> str:
    if assessment is None or assessment.probability_min is None:
        return "—"
    return f"{assessment.probability_min}\N{EN DASH}{assessment.probability_max}%"


def _likelihood_text(assessment: PillarAssessment | None) -> str:
    if assessment is None:
        return "no headline assessment"
    return assessment.likelihood or "no ICD 203 term"


def _pillar_row(score: PillarScore, data_note: str | None = None) -> str:
    assessment = score.assessment
    statement = (
        f'{_e(assessment.statement)} <span class="note">({_e(assessment.source_location)})</span>'
        if assessment
        else "—"
    )
    if data_note:  # the report's words beside what the data say, so neither is misread
        statement += f' <span class="note data-note">{_e(data_note)}</span>'

    verdict = score.verdict
    return (
        f'<tr data-pillar="{_e(score.pillar.value)}">'
        f'<th scope="row">{_e(PILLAR_NAMES.get(score.pillar.value, score.pillar.value))}</th>'
        f'<td data-label="Verdict"><span class="verdict verdict-{_e(verdict.value)}">'
        f"{_e(VERDICT_TEXT[verdict])}</span></td>"
        f'<td data-label="Why">{_e(score.reason)}</td>'
        f'<td data-label="Likelihood">{_e(_likelihood_text(assessment))}</td>'
        f'<td data-label="Probability" class="number">{_e(probability_text(assessment))}</td>'
        f'<td data-label="Headline assessment">{statement}</td>'
        "</tr>"
    )


def _scorecard_section(card: Scorecard, series: LagSeries) -> str:
    header = "".join(
        f'<th scope="col">{name}</th>'
        for name in ("Pillar", "Verdict", "Why", "Likelihood", "Probability", "Assessment")
    )
    lag_note = f"The Arena data: trend {trend_phrase(series.summary)}."
    rows = "".join(
        _pillar_row(score, lag_note if score.pillar.value == "models" else None)
        for score in card.pillars
    )
    rules = "".join(f"<li>{_e(rule)}</li>" for rule in card.rules)
    return (
        '<section aria-labelledby="scorecard-h"><h2 id="scorecard-h">Scorecard</h2>'
        f'<p class="bottom-line">{_e(card.bottom_line.statement)}</p>'
        f"{_overall(card.overall_assessment)}"
        '<div class="table-wrap"><table class="scorecard"><caption class="note">Who leads '
        "each pillar, from its headline indicators and the report's headline assessment "
        "(ICD 203 likelihood and its probability range)</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div>"
        f"<details><summary>The rules applied ({_e(card.method)} v{_e(card.method_version)})"
        f'</summary><ol>{rules}</ol></details><p><a href="/v1/scorecard">Scorecard as JSON</a>'
        "</p></section>"
    )


def _overall(assessment: PillarAssessment | None) -> str:
    if assessment is None:
        return ""
    likelihood = f" Likelihood: {assessment.likelihood}" if assessment.likelihood else ""
    probability = f" ({probability_text(assessment)})" if assessment.probability_min else ""
    return (
        f'<p class="note">The report: “{_e(assessment.statement)}” '
        f"({_e(assessment.source_location)}).{_e(likelihood)}{_e(probability)}</p>"
    )


# --- sources ------------------------------------------------------------------------------


def _source_item(source: SourcePublic) -> str:
    published = f", {source.published_on.isoformat()}" if source.published_on else ""
    # Printed, not linked: the page links nowhere but this service.
    url = f" <code>{_e(source.url)}</code>" if source.url else ""
    return (
        f"<li><cite>{_e(source.title)}</cite>, {_e(source.publisher)}{_e(published)}.{url} "
        f'<a href="/v1/sources/{_e(source.key)}">Record</a></li>'
    )


def _sources_section(view: DashboardView) -> str:
    items = "".join(_source_item(source) for source in view.sources)
    return (
        '<section aria-labelledby="sources-h"><h2 id="sources-h">Sources</h2>'
        f"<ul>{items}</ul>"
        f'<p class="note">Arena charts: {_e(view.arena_source)}</p>'
        f'<p class="note">Funding chart: {_e(view.funding_source)}</p>'
        "</section>"
    )


def render_dashboard(view: DashboardView) -> str:
    series, totals, card = view.series, view.totals, view.scorecard
    footer = (
        f"Data version {view.data_version}. Methods: lag {series.method.value} "
        f"v{series.method_version}, {totals.method} v{totals.method_version}, "
        f"{card.method} v{card.method_version}."
    )
    return PAGE.substitute(
        css=CSS,
        data_version=_e(view.data_version),
        filters=_filters_form(view.filters),
        models=_models_section(view),
        funding=_funding_section(view),
        scorecard=_scorecard_section(card, series),
        sources=_sources_section(view),
        footer=_e(footer) + ' <a href="/docs">API docs</a>',
    )
