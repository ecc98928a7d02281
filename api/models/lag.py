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


class LagParameters(BaseModel):
    method: LagMethod
    tolerance: float = Field(description="Elo points a US score may fall short and still match.")
    from_month: str | None = Field(description="First month reported (YYYY-MM).")
    to_month: str | None = Field(description="Last month reported (YYYY-MM).")


class LagSeries(BaseModel):
    method: LagMethod
    method_version: str
    definition: str = Field(description="The rule, in words.")
    parameters: LagParameters
    series: list[LagPoint]
    summary: LagSummary
