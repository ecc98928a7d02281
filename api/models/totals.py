"""Funding totals: computed response models (built only by api.services.totals)."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from api.models.base import Status


class GroupField(StrEnum):
    country = "country"
    level = "level"
    year = "year"
    status = "status"


class Conversion(BaseModel):
    key: str
    currency: str = Field(description="ISO 4217 code of the original amount.")
    amount: float = Field(description="Original amount, in `currency`.")
    fx_rate: float | None = Field(description="USD per unit of currency used.")
    fx_rate_date: date | None = Field(description="Date of that rate.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "key": "cn-example",
                    "currency": "CNY",
                    "amount": 7200000000,
                    "fx_rate": 0.1389,
                    "fx_rate_date": "2025-01-02",
                }
            ]
        }
    }


class TotalsGroup(BaseModel):
    country: str | None = None
    level: str | None = None
    year: str | None = Field(
        default=None,
        description="Calendar year; a span `YYYY/YYYY` for a multi-year amount that is not "
        "annualized; `unknown` when the source gives no period.",
    )
    status: str | None = None
    amount_usd: float = Field(description="Sum of the group's contributions, USD.")
    count: int = Field(description="Records contributing to the group.")
    record_keys: list[str] = Field(description="Keys of the contributing records.")
    converted: list[Conversion] = Field(
        description="Contributions whose USD amount we converted (not the source), and how."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "country": "US",
                    "level": "central_government",
                    "year": "2025",
                    "status": None,
                    "amount_usd": 11200000000,
                    "count": 1,
                    "record_keys": ["us-federal-ai-it-rd-fy2025"],
                    "converted": [],
                }
            ]
        }
    }


class Exclusion(BaseModel):
    key: str
    reason: str

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "key": "us-openai-stargate",
                    "reason": "status announced is not counted unless asked for",
                }
            ]
        }
    }


class TotalsParameters(BaseModel):
    group_by: list[GroupField]
    annualize: bool
    statuses: list[Status] = Field(description="Statuses counted.")
    country: str | None
    level: str | None
    from_year: int | None = Field(description="First year counted.")
    to_year: int | None = Field(description="Last year counted.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "group_by": ["country", "level"],
                    "annualize": False,
                    "statuses": ["actual", "budgeted", "estimate", "projected"],
                    "country": None,
                    "level": None,
                    "from_year": None,
                    "to_year": None,
                }
            ]
        }
    }


class FundingTotals(BaseModel):
    method: str
    method_version: str
    definition: str
    parameters: TotalsParameters
    data_version: int = Field(default=0, description="The data version the answer is from.")
    groups: list[TotalsGroup]
    total_usd: float = Field(description="Sum over every group, USD.")
    excluded: list[Exclusion] = Field(
        description="Records in the selection that were not counted, and why."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "method": "funding_totals",
                    "method_version": "1",
                    "definition": "Sum of USD amounts by group; ...",
                    "parameters": {
                        "group_by": ["country", "level"],
                        "annualize": False,
                        "statuses": ["actual", "budgeted", "estimate", "projected"],
                        "country": None,
                        "level": None,
                        "from_year": None,
                        "to_year": None,
                    },
                    "data_version": 431,
                    "groups": [
                        {
                            "country": "CN",
                            "level": "state_semiconductor_fund",
                            "year": None,
                            "status": None,
                            "amount_usd": 78850000000,
                            "count": 4,
                            "record_keys": ["cn-big-fund-phase-1", "cn-big-fund-phase-2"],
                            "converted": [],
                        }
                    ],
                    "total_usd": 78850000000,
                    "excluded": [
                        {
                            "key": "cn-big-fund-phase-3",
                            "reason": "status announced is not counted unless asked for",
                        }
                    ],
                }
            ]
        }
    }
