"""The dashboard page: HTML from Jinja2 templates, inline SVG charts, no script.

Everything it shows comes in a DashboardView built by the dashboard router from the
services and the charts; the templates lay it out with every text autoescaped. The words it
prints (headline, table cells) are plain text made here. Every link stays on this service
(an external URL is printed, never linked or loaded) and the stylesheet is a static file
with system fonts, so the page works on an air-gapped machine.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from api.charts.text import (
    bound_text,
    bounded_money,
    country_name,
    level_name,
    measure_name,
    score_text,
    statuses_text,
)
from api.models.lag import LagPoint, LagSeries
from api.models.scorecard import PillarAssessment, Scorecard, Verdict
from api.models.sources import SourcePublic
from api.models.totals import FundingTotals, TotalsGroup
from api.services.lag import lag_phrase, months_text, plotted_lag, trend_phrase
from api.services.models import latest_with_both

WEB = Path(__file__).parent
STATIC = WEB / "static"
STYLESHEET = "/static/dashboard.css"
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

_templates = Environment(
    loader=FileSystemLoader(WEB / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class DashboardFilters:
    from_month: str | None = None
    to_month: str | None = None
    tolerance: float = 0.0

    @property
    def tolerance_text(self) -> str:
        return score_text(self.tolerance)

    def query(self) -> str:
        """The filters as a query string for the chart links ("" when none is set)."""
        pairs = {"from": self.from_month, "to": self.to_month}
        present = {name: value for name, value in pairs.items() if value}
        if self.tolerance:
            present["tolerance"] = score_text(self.tolerance)
        return "?" + urlencode(present) if present else ""


@dataclass(frozen=True)
class DashboardCharts:
    """Each chart as the SVG document its renderer made (already escaped markup)."""

    arena: str
    lag: str
    funding: str


@dataclass(frozen=True)
class DashboardView:
    filters: DashboardFilters
    data_version: int
    data_changed_at: datetime | None
    series: LagSeries
    arena_source: str
    totals: FundingTotals
    funding_source: str
    scorecard: Scorecard
    sources: Sequence[SourcePublic]
    charts: DashboardCharts
    ignored: Sequence[str] = field(default_factory=tuple)  # query parameters it did not know


# --- words -----------------------------------------------------------------------------------


def lag_headline(series: LagSeries) -> str:
    latest = latest_with_both(series)
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


def lag_summary(series: LagSeries) -> str:
    summary = series.summary
    if summary.min is None or summary.max is None:
        return f"{summary.uncensored_months} of {summary.months} months have an exact lag."
    return (
        f"{summary.uncensored_months} of {summary.months} months have an exact lag: "
        f"{summary.min:g} to {months_text(summary.max)}, median {summary.median:g}; "
        f"trend: {trend_phrase(summary)}."
    )


def lag_row(point: LagPoint) -> tuple[str, ...]:
    """Month, US model and score, China model and score, gap, lag, P(China ahead)."""
    value = plotted_lag(point)
    lag = "" if value is None else lag_phrase(point)
    if value is not None and value < 0:
        lag = f"China ahead: {lag}"
    if point.censored:
        lag = f"{lag} (censored)"
    return (
        point.month,
        point.us.model if point.us else "—",
        score_text(point.us.score) if point.us else "",
        point.cn.model if point.cn else "—",
        score_text(point.cn.score) if point.cn else "",
        "" if point.gap_points is None else score_text(point.gap_points),
        lag or (point.note or ""),
        "" if point.p_china_ahead is None else f"{point.p_china_ahead:.0%}",
    )


def funding_rows(totals: FundingTotals) -> list[TotalsGroup]:
    return sorted(totals.groups, key=lambda g: (g.measure, -g.amount_usd))


def probability_text(assessment: PillarAssessment | None) -> str:
    if assessment is None or assessment.probability_min is None:
        return "—"
    return f"{assessment.probability_min}\N{EN DASH}{assessment.probability_max}%"


def likelihood_text(assessment: PillarAssessment | None) -> str:
    if assessment is None:
        return "no headline assessment"
    return assessment.likelihood or "no ICD 203 term"


WORDS = SimpleNamespace(
    lag_headline=lag_headline,
    lag_summary=lag_summary,
    lag_rows=lambda series: [lag_row(p) for p in series.series],
    funding_rows=funding_rows,
    statuses_text=statuses_text,
    country_name=country_name,
    level_name=level_name,
    measure_name=measure_name,
    bounded_money=bounded_money,
    bound_text=bound_text,
    pillar_name=lambda pillar: PILLAR_NAMES.get(pillar, pillar),
    verdict_text=VERDICT_TEXT.__getitem__,
    likelihood_text=likelihood_text,
    probability_text=probability_text,
    trend_phrase=trend_phrase,
)


# --- pages -----------------------------------------------------------------------------------


def render_dashboard(view: DashboardView) -> str:
    charts = DashboardCharts(
        *(Markup(svg) for svg in (view.charts.arena, view.charts.lag, view.charts.funding))
    )
    return _templates.get_template("dashboard.html").render(
        view=view, charts=charts, text=WORDS, filters=view.filters, stylesheet=STYLESHEET
    )


def render_filter_problem(filters: DashboardFilters, errors: Sequence[dict[str, str]]) -> str:
    """The page for filters it cannot apply: what was wrong, and the form to correct it."""
    return _templates.get_template("dashboard_problem.html").render(
        filters=filters, errors=errors, stylesheet=STYLESHEET
    )
