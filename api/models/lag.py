"""The Elo lag: computed response models (built only by api.services.lag)."""

from enum import StrEnum

from pydantic import BaseModel, Field


class LagMethod(StrEnum):
    whole_month = "whole_month"
    interpolated = "interpolated"


class Leader(StrEnum):
    US = "US"
    CN = "CN"
    tied = "tied"


class TopModel(BaseModel):
    model: str = Field(description="Key of the country's best-scoring model that month.")
    organization: str
    score: float = Field(description="Arena (Elo) rating, points.")

    model_config = {
        "json_schema_extra": {
            "examples": [{"model": "deepseek-r1", "organization": "DeepSeek", "score": 1357}]
        }
    }


class LagPoint(BaseModel):
    month: str = Field(description="YYYY-MM.")
    lag_months: int | float | None = Field(
        description="Months China's best trails the US's (negative: China leads); "
        "an integer for whole_month; null when a country has no score that month."
    )
    censored: bool = Field(
        description="True when the value is only a lower bound: the match was found in "
        "the first month of data, so the true lag may be longer."
    )
    leader: Leader | None = Field(description="Who has the higher top score that month.")
    matched_month: str | None = Field(
        description="The earliest month whose top score reached this month's (the m' of the "
        "method); null when there is none."
    )
    gap_points: float | None = Field(description="US top score minus China top score, points.")
    us: TopModel | None
    cn: TopModel | None
    note: str | None = Field(default=None, description="Why lag_months is null, if it is.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "month": "2024-05",
                    "lag_months": 2,
                    "censored": False,
                    "leader": "US",
                    "matched_month": "2024-03",
                    "gap_points": 51,
                    "us": {"model": "gpt-4o-2024-05-13", "organization": "OpenAI", "score": 1289},
                    "cn": {"model": "yi-large-preview", "organization": "01.AI", "score": 1238},
                    "note": None,
                }
            ]
        }
    }


class Trend(StrEnum):
    shortening = "shortening"
    widening = "widening"
    flat = "flat"
    unknown = "unknown"


class LagSummary(BaseModel):
    months: int = Field(description="Months in the series.")
    uncensored_months: int = Field(description="Months whose lag is exact, not a lower bound.")
    min: int | float | None = Field(description="Smallest uncensored lag, months.")
    max: int | float | None = Field(description="Largest uncensored lag, months.")
    mean: float | None = Field(description="Mean uncensored lag, months.")
    median: int | float | None = Field(description="Median uncensored lag, months.")
    slope_months_per_year: float | None = Field(
        description="Least-squares slope of the uncensored lag over time, months per year."
    )
    trend: Trend = Field(description="Sign of the slope: shortening, widening or flat.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "months": 15,
                    "uncensored_months": 11,
                    "min": 2,
                    "max": 6,
                    "mean": 3.909,
                    "median": 4,
                    "slope_months_per_year": 0.327,
                    "trend": "widening",
                }
            ]
        }
    }


class LagParameters(BaseModel):
    method: LagMethod
    tolerance: float = Field(description="Elo points a US score may fall short and still match.")
    from_month: str | None = Field(description="First month reported (YYYY-MM).")
    to_month: str | None = Field(description="Last month reported (YYYY-MM).")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"method": "whole_month", "tolerance": 0, "from_month": None, "to_month": None}
            ]
        }
    }


class ArenaInput(BaseModel):
    month: str = Field(description="YYYY-MM.")
    model: str = Field(description="Model key.")
    organization: str
    country: str = Field(description="ISO 3166 alpha-2; only US and CN count.")
    score: float = Field(description="Arena (Elo) rating, points.")

    model_config = {
        "json_schema_extra": {
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
    }


class LagSeries(BaseModel):
    method: LagMethod
    method_version: str
    definition: str = Field(description="The rule, in words.")
    parameters: LagParameters
    data_version: int = Field(default=0, description="The data version the answer is from.")
    series: list[LagPoint]
    summary: LagSummary
    inputs: list[ArenaInput] | None = Field(
        default=None, description="Every Arena score considered (with explain=true)."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "method": "whole_month",
                    "method_version": "1",
                    "definition": "lag(m) = m - min{m' <= m : top_US(m') >= top_CN(m) - "
                    "tolerance}, in whole months; ...",
                    "parameters": {
                        "method": "whole_month",
                        "tolerance": 0,
                        "from_month": None,
                        "to_month": None,
                    },
                    "data_version": 431,
                    "series": [
                        {
                            "month": "2025-01",
                            "lag_months": 2,
                            "censored": False,
                            "leader": "US",
                            "matched_month": "2024-11",
                            "gap_points": 24,
                            "us": {
                                "model": "gemini-2.0-flash-thinking-exp-01-21",
                                "organization": "Google",
                                "score": 1381,
                            },
                            "cn": {
                                "model": "deepseek-r1",
                                "organization": "DeepSeek",
                                "score": 1357,
                            },
                            "note": None,
                        }
                    ],
                    "summary": {
                        "months": 15,
                        "uncensored_months": 11,
                        "min": 2,
                        "max": 6,
                        "mean": 3.909,
                        "median": 4,
                        "slope_months_per_year": 0.327,
                        "trend": "widening",
                    },
                    "inputs": None,
                }
            ]
        }
    }


class LagCurrent(BaseModel):
    """The latest month's lag: the small answer other services poll."""

    month: str = Field(description="Latest month with both a US and a China score (YYYY-MM).")
    lag_months: int | float = Field(description="Months China trails (negative: China leads).")
    censored: bool = Field(description="True when lag_months is only a lower bound.")
    leader: Leader
    us: TopModel
    cn: TopModel
    method: LagMethod
    tolerance: float = Field(description="Elo points.")
    data_version: int = Field(description="The data version the answer is from.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "month": "2025-03",
                    "lag_months": 4,
                    "censored": False,
                    "leader": "US",
                    "us": {"model": "grok-3-preview-02-24", "organization": "xAI", "score": 1411},
                    "cn": {"model": "deepseek-r1", "organization": "DeepSeek", "score": 1362},
                    "method": "whole_month",
                    "tolerance": 0,
                    "data_version": 431,
                }
            ]
        }
    }
