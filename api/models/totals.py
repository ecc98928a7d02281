"""Funding totals and comparisons: computed response models (built only by services)."""

from datetime import date
from enum import StrEnum

from pydantic import ConfigDict, Field

from api.models.base import LazyModel, Status
from api.models.funding import FundingMeasure


class GroupField(StrEnum):
    """Optional group keys; `measure` and `period` are keys of every group."""

    country = "country"
    level = "level"
    status = "status"


class Bound(StrEnum):
    """What a group's amount is, given its records' qualifiers."""

    exact = "exact"
    at_least = "at_least"  # a member says "more than" / "at least": the sum is a floor
    at_most = "at_most"  # a member says "up to" / "less than": the sum is a ceiling
    approximate = "approximate"  # a member says "about"
    range = "range"  # a member gives a range: amount_usd to amount_usd_max
    unbounded = "unbounded"  # floors and ceilings mixed: the sum bounds nothing


class RateBasis(StrEnum):
    source = "source"  # implied by the source's own USD figure
    record = "record"  # a rate stored on the record by a curator
    reference = "reference"  # a reference rate from the fx indicators (seeds/observations)


class ExclusionRule(StrEnum):
    status = "status"
    overlap = "overlap"
    no_usd = "no_usd"
    undated = "undated"
    outside_years = "outside_years"
    stock = "stock"


class Conversion(LazyModel):
    key: str = Field(description="The converted record.")
    currency: str = Field(description="ISO 4217 code of the original amount.")
    amount: float = Field(description="Original amount, in `currency`.")
    amount_usd: float = Field(description="The amount in USD at `fx_rate`.")
    fx_rate: float = Field(description="USD per unit of currency used.")
    fx_rate_date: date | None = Field(
        description="Date of that rate; null when the source does not date its conversion."
    )
    rate_basis: RateBasis
    rate_source: str = Field(description="Where the rate comes from, in words.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "cn-big-fund-phase-1",
                    "currency": "CNY",
                    "amount": 139000000000,
                    "amount_usd": 21000000000,
                    "fx_rate": 0.151079,
                    "fx_rate_date": None,
                    "rate_basis": "source",
                    "rate_source": "implied by the source's own USD figure (amount_usd / "
                    "amount); the source does not date it",
                }
            ]
        }
    )


class Annualization(LazyModel):
    key: str = Field(description="The record spread over years.")
    span_start: date = Field(description="First day of the span it was spread over.")
    span_end: date = Field(description="Last day of that span.")
    span_from: str = Field(
        description="`annualize_start/annualize_end` (the source's) or `period`."
    )
    years: float = Field(description="Length of the span in years (calendar-year fractions).")
    amount_usd: float = Field(description="The whole amount spread, USD.")
    per_year_usd: float = Field(description="Amount per whole calendar year, USD.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "cn-guidance-funds-ai-2000-2023",
                    "span_start": "2013-01-01",
                    "span_end": "2023-12-31",
                    "span_from": "annualize_start/annualize_end",
                    "years": 11,
                    "amount_usd": 184000000000,
                    "per_year_usd": 16727272727.27,
                }
            ]
        }
    )


class TotalsGroup(LazyModel):
    measure: FundingMeasure = Field(description="What every amount in the group measures.")
    period: str = Field(
        description="The period every amount covers: `2024`, `2013/2023`, `2024-10/2025-09`, "
        "`2025-01-21/2029-01-20`, `2025-01-01/..` (open end), `unknown`; with annualize, a "
        "calendar year."
    )
    per_year: bool = Field(
        description="True when amount_usd is money for one year: a period of a year or less, "
        "a rate per year, or annualized."
    )
    country: str | None = None
    level: str | None = None
    status: str | None = None
    amount_usd: float = Field(
        description="Sum of the members, USD: a floor with bound at_least, a ceiling with "
        "at_most, the low end with range."
    )
    amount_usd_max: float | None = Field(description="High end of the sum, with bound range.")
    bound: Bound
    count: int = Field(description="Records contributing to the group.")
    record_keys: list[str] = Field(description="Keys of the contributing records.")
    conversions: list[Conversion] = Field(description="Every non-USD member, and its rate.")
    annualized: list[Annualization] = Field(description="Members spread over years, and how.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "measure": "annual_budget",
                    "period": "2024-10/2025-09",
                    "per_year": False,
                    "country": "US",
                    "level": "central_government",
                    "status": None,
                    "amount_usd": 11200000000,
                    "amount_usd_max": None,
                    "bound": "exact",
                    "count": 1,
                    "record_keys": ["us-federal-ai-it-rd-fy2025"],
                    "conversions": [],
                    "annualized": [],
                }
            ]
        }
    )


class Exclusion(LazyModel):
    key: str
    rule: ExclusionRule
    reason: str
    periods: list[str] = Field(
        default_factory=list,
        description="Group periods it was left out of, when it counted in others.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "us-openai-stargate",
                    "rule": "status",
                    "reason": "status announced is not counted unless asked for",
                    "periods": [],
                }
            ]
        }
    )


class TotalsParameters(LazyModel):
    group_by: list[GroupField]
    annualize: bool
    statuses: list[Status] = Field(description="Statuses counted.")
    country: str | None
    level: str | None
    measure: FundingMeasure | None
    keys: list[str] | None = Field(description="Only these records, when given.")
    from_year: int | None = Field(description="First year counted.")
    to_year: int | None = Field(description="Last year counted.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group_by": ["country", "level"],
                    "annualize": False,
                    "statuses": ["actual", "budgeted", "estimate", "projected"],
                    "country": None,
                    "level": None,
                    "measure": None,
                    "keys": None,
                    "from_year": None,
                    "to_year": None,
                }
            ]
        }
    )


class FundingTotals(LazyModel):
    method: str
    method_version: str
    definition: str
    rules: list[str]
    parameters: TotalsParameters
    data_version: int = Field(default=0, description="The data version the answer is from.")
    groups: list[TotalsGroup]
    excluded: list[Exclusion] = Field(
        description="Records in the selection that were not counted, and why."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "funding_totals",
                    "method_version": "2",
                    "definition": "Sums of USD amounts of one measure and one period ...",
                    "rules": ["A group adds only records of one measure and one period."],
                    "parameters": {
                        "group_by": ["country", "level"],
                        "annualize": True,
                        "statuses": ["actual", "budgeted", "estimate", "projected"],
                        "country": "CN",
                        "level": "government_guidance_funds",
                        "measure": None,
                        "keys": None,
                        "from_year": 2016,
                        "to_year": 2016,
                    },
                    "data_version": 431,
                    "groups": [
                        {
                            "measure": "period_spending",
                            "period": "2016",
                            "per_year": True,
                            "country": "CN",
                            "level": "government_guidance_funds",
                            "status": None,
                            "amount_usd": 16727272727.27,
                            "amount_usd_max": None,
                            "bound": "exact",
                            "count": 1,
                            "record_keys": ["cn-guidance-funds-ai-2000-2023"],
                            "conversions": [],
                            "annualized": [],
                        }
                    ],
                    "excluded": [
                        {
                            "key": "cn-guidance-funds-ai-annualized-2013-2023",
                            "rule": "overlap",
                            "reason": "the same money as cn-guidance-funds-ai-2000-2023, "
                            "which is counted in this group",
                            "periods": [],
                        }
                    ],
                }
            ]
        }
    )
