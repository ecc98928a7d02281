"""The Elo lag: computed response models (built only by api.services.lag)."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.base import LazyModel


class LagMethod(StrEnum):
    whole_month = "whole_month"
    interpolated = "interpolated"


class Leader(StrEnum):
    US = "US"
    CN = "CN"
    tied = "tied"


class TopModel(LazyModel):
    model: str = Field(description="Key of the country's best-scoring model that month.")
    organization: str | None
    score: float = Field(description="Arena (Elo) rating, points.")
    ci_lower: float | None = Field(default=None, description="95% interval, lower, points.")
    ci_upper: float | None = Field(default=None, description="95% interval, upper, points.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "model": "deepseek-r1",
                    "organization": "DeepSeek",
                    "score": 1357,
                    "ci_lower": None,
                    "ci_upper": None,
                }
            ]
        }
    )


class LagInterval(LazyModel):
    low: float = Field(description="Lower end, months.")
    high: float = Field(description="Upper end, months.")
    level: float = Field(description="Share of the Monte Carlo draws inside, e.g. 0.9.")
    censored_share: float = Field(
        description="Share of draws whose lag is only a lower bound (matched in the first "
        "month of data); where it is above 0 the upper end may be higher."
    )

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"low": 3, "high": 5, "level": 0.9, "censored_share": 0.0}]}
    )


class UnclassifiedModel(LazyModel):
    """A model the registry cannot place that scores above a country's best that month."""

    model: str = Field(description="Model key.")
    score: float = Field(description="Arena (Elo) rating, points.")
    above: list[str] = Field(description="Whose best it scores above: US, CN or both.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"model": "mystery-model", "score": 1400, "above": ["CN"]}]}
    )


class LagPoint(LazyModel):
    month: str = Field(description="YYYY-MM.")
    lag_months: int | float | None = Field(
        description="Months China's best trails the US's (negative: China leads); an integer "
        "for whole_month. Null unless the lag is known exactly: when a country has no score "
        "that month, or when the lag is censored (see lag_months_at_least)."
    )
    lag_months_at_least: int | float | None = Field(
        description="For a censored month, the lower bound: the true lag is at least this "
        "(in magnitude, for a negative lag); null otherwise."
    )
    censored: bool = Field(
        description="True when only a lower bound is known: the match was found in the first "
        "month of data, so the true lag may be longer."
    )
    leader: Leader | None = Field(description="Who has the higher top score that month.")
    matched_month: str | None = Field(
        description="The earliest month whose top score reached this month's (the m' of the "
        "method); null when there is none."
    )
    gap_points: float | None = Field(description="US top score minus China top score, points.")
    us: TopModel | None
    cn: TopModel | None
    interval: LagInterval | None = Field(
        description="The lag's Monte Carlo interval (see `uncertainty`); null when this "
        "month's scores have no published intervals (see interval_note)."
    )
    p_china_ahead: float | None = Field(
        description="Probability that China's best model this month scores above the US's "
        "best, from the same draws; null with the interval."
    )
    interval_note: str | None = Field(
        default=None, description="Why interval and p_china_ahead are null, if they are."
    )
    unclassified_above: list[UnclassifiedModel] = Field(
        default_factory=list,
        description="Models of unknown country scoring above this month's US or China best: "
        "had they been placed, the figure could differ. Classify them through the registry.",
    )
    note: str | None = Field(default=None, description="Why lag_months is null, if it is.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "month": "2025-04",
                    "lag_months": 4,
                    "lag_months_at_least": None,
                    "censored": False,
                    "leader": "US",
                    "matched_month": "2024-12",
                    "gap_points": 65.8,
                    "us": {
                        "model": "gemini-2.5-pro-exp-03-25",
                        "organization": "Google",
                        "score": 1438.7,
                    },
                    "cn": {
                        "model": "deepseek-v3-0324",
                        "organization": "DeepSeek",
                        "score": 1372.9,
                    },
                    "interval": {"low": 3, "high": 5, "level": 0.9, "censored_share": 0.0},
                    "p_china_ahead": 0.0,
                    "interval_note": None,
                    "unclassified_above": [],
                    "note": None,
                }
            ]
        }
    )


class LagTrend(StrEnum):
    shortening = "shortening"
    widening = "widening"
    no_clear_trend = "no_clear_trend"
    insufficient_data = "insufficient_data"


class SlopeInterval(LazyModel):
    low: float = Field(description="Lower end, months per year.")
    high: float = Field(description="Upper end, months per year.")
    level: float = Field(description="Confidence level, e.g. 0.9.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"low": -0.4, "high": 1.1, "level": 0.9}]}
    )


class LagSummary(LazyModel):
    months: int = Field(description="Months in the series.")
    uncensored_months: int = Field(description="Months whose lag is exact, not a lower bound.")
    min: int | float | None = Field(description="Smallest uncensored lag, months.")
    max: int | float | None = Field(description="Largest uncensored lag, months.")
    mean: float | None = Field(description="Mean uncensored lag, months.")
    median: int | float | None = Field(description="Median uncensored lag, months.")
    slope_months_per_year: float | None = Field(
        description="Least-squares slope of the uncensored lag over time, months per year."
    )
    slope_interval: SlopeInterval | None = Field(
        description="90% confidence interval of that slope (ordinary least squares, Student's "
        "t with n - 2 degrees of freedom); null with fewer than 3 uncensored months."
    )
    trend: LagTrend = Field(
        description="`shortening` or `widening` only when slope_interval excludes zero; "
        "otherwise `no_clear_trend` (or `insufficient_data` below 3 uncensored months)."
    )
    trend_rule: str = Field(description="The rule behind `trend`, in words.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "months": 15,
                    "uncensored_months": 11,
                    "min": 2,
                    "max": 6,
                    "mean": 3.909,
                    "median": 4,
                    "slope_months_per_year": 0.327,
                    "slope_interval": {"low": -2.541, "high": 3.195, "level": 0.9},
                    "trend": "no_clear_trend",
                    "trend_rule": "a trend is named only when the 90% interval of the slope "
                    "excludes zero",
                }
            ]
        }
    )


class LagUncertainty(LazyModel):
    """How the intervals and probabilities were drawn."""

    method: str = Field(description="`monte_carlo_normal`.")
    draws: int = Field(description="Monte Carlo draws per answer.")
    seed: int = Field(description="Seed of the random generator: same seed, same answer.")
    level: float = Field(description="Share of draws inside each interval.")
    assumptions: list[str]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "monte_carlo_normal",
                    "draws": 2000,
                    "seed": 0,
                    "level": 0.9,
                    "assumptions": [
                        "a score with a 95% interval [low, high] is normal with sd "
                        "(high - low) / 3.92"
                    ],
                }
            ]
        }
    )


class LagParameters(LazyModel):
    method: LagMethod
    tolerance: float = Field(description="Elo points a US score may fall short and still match.")
    draws: int = Field(default=2000, description="Monte Carlo draws for the intervals.")
    seed: int = Field(default=0, description="Seed of the Monte Carlo draws.")
    from_month: str | None = Field(description="First month reported (YYYY-MM).")
    to_month: str | None = Field(description="Last month reported (YYYY-MM).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "whole_month",
                    "tolerance": 0,
                    "draws": 2000,
                    "seed": 0,
                    "from_month": None,
                    "to_month": None,
                }
            ]
        }
    )


class ArenaInput(LazyModel):
    month: str = Field(description="YYYY-MM.")
    model: str = Field(description="Model key.")
    organization: str | None
    country: str | None = Field(
        description="ISO 3166 alpha-2; only US and CN count; null: unclassified."
    )
    score: float = Field(description="Arena (Elo) rating, points.")
    ci_lower: float | None = Field(default=None, description="95% interval, lower, points.")
    ci_upper: float | None = Field(default=None, description="95% interval, upper, points.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "month": "2025-01",
                    "model": "deepseek-r1",
                    "organization": "DeepSeek",
                    "country": "CN",
                    "score": 1357,
                }
            ]
        }
    )


def _example(model: type[BaseModel]) -> dict[str, Any]:
    extra: Any = model.model_config.get("json_schema_extra")
    return dict(extra["examples"][0])


LAG_POINT_EXAMPLE = _example(LagPoint)
SUMMARY_EXAMPLE = _example(LagSummary)
UNCERTAINTY_EXAMPLE = _example(LagUncertainty)


class LagSeries(LazyModel):
    method: LagMethod
    method_version: str
    definition: str = Field(description="The rule, in words.")
    parameters: LagParameters
    data_version: int = Field(default=0, description="The data version the answer is from.")
    series: list[LagPoint]
    summary: LagSummary
    uncertainty: LagUncertainty
    inputs: list[ArenaInput] | None = Field(
        default=None, description="Every Arena score considered (with explain=true)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "whole_month",
                    "method_version": "2",
                    "definition": "lag(m) = m - min{m' <= m : top_US(m') >= top_CN(m) - "
                    "tolerance}, in whole months; ...",
                    "parameters": {
                        "method": "whole_month",
                        "tolerance": 0,
                        "draws": 2000,
                        "seed": 0,
                        "from_month": None,
                        "to_month": None,
                    },
                    "data_version": 431,
                    "series": [LAG_POINT_EXAMPLE],
                    "summary": SUMMARY_EXAMPLE,
                    "uncertainty": UNCERTAINTY_EXAMPLE,
                    "inputs": None,
                }
            ]
        }
    )


class LagCurrent(LazyModel):
    """The latest month's lag: the small answer other services poll."""

    month: str = Field(description="Latest month with both a US and a China score (YYYY-MM).")
    lag_months: int | float | None = Field(
        description="Months China trails (negative: China leads); null when censored."
    )
    lag_months_at_least: int | float | None = Field(
        description="The lower bound when censored; null otherwise."
    )
    censored: bool = Field(description="True when only a lower bound is known.")
    leader: Leader
    us: TopModel
    cn: TopModel
    interval: LagInterval | None = Field(description="The lag's Monte Carlo interval.")
    p_china_ahead: float | None = Field(
        description="Probability that China's best scores above the US's best this month."
    )
    interval_note: str | None = Field(description="Why interval is null, if it is.")
    unclassified_above: list[UnclassifiedModel] = Field(
        description="Models of unknown country above a country's best this month."
    )
    method: LagMethod
    tolerance: float = Field(description="Elo points.")
    uncertainty: LagUncertainty
    data_version: int = Field(description="The data version the answer is from.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **{
                        k: LAG_POINT_EXAMPLE[k]
                        for k in (
                            "month",
                            "lag_months",
                            "lag_months_at_least",
                            "censored",
                            "leader",
                            "us",
                            "cn",
                            "interval",
                            "p_china_ahead",
                            "interval_note",
                            "unclassified_above",
                        )
                    },
                    "method": "whole_month",
                    "tolerance": 0,
                    "uncertainty": UNCERTAINTY_EXAMPLE,
                    "data_version": 431,
                }
            ]
        }
    )


class LagMethodCard(LazyModel):
    """How the lag is computed, in words: what a figure quoted from /v1/models/lag means."""

    methods: dict[str, str] = Field(description="Each lag method's rule.")
    method_version: str
    inputs: str = Field(description="Which scores count.")
    censoring: str = Field(description="When a lag is only a lower bound, and how it is given.")
    unclassified: str = Field(description="What happens to models of unknown country.")
    uncertainty: LagUncertainty = Field(description="The Monte Carlo behind the intervals.")
    trend_rule: str = Field(description="When a trend is named.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "methods": {"whole_month": "lag(m) = m - min{m' <= m : ...}"},
                    "method_version": "2",
                    "inputs": "overall (full) leaderboard scores of models placed in the US "
                    "or China",
                    "censoring": "a match in the first month of data is a lower bound",
                    "unclassified": "never counted; listed when above a country's best",
                    "uncertainty": UNCERTAINTY_EXAMPLE,
                    "trend_rule": "named only when the 90% interval of the slope excludes zero",
                }
            ]
        }
    )
