"""Funding pillar: government budgets, guidance funds, semiconductor funds, private capital."""

from datetime import date
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    ProvenanceFields,
    Qualifier,
    RevisionPublic,
    Status,
    VersionFields,
    public_config,
    versioned_table_args,
)


class FundingLevel(StrEnum):
    central_government = "central_government"
    subnational = "subnational"
    state_semiconductor_fund = "state_semiconductor_fund"
    private_vc = "private_vc"
    corporate_capex = "corporate_capex"


class AmountBasis(StrEnum):
    total = "total"  # the whole amount over the period
    per_year = "per_year"  # an annual rate that holds through the period


class FundingRecordBase(ProvenanceFields):
    program: str = Field(max_length=300, description="Programme, fund or budget line.")
    country: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
    level: FundingLevel = Field(sa_type=String(30), index=True)
    amount: float = Field(ge=0, description="Amount in `currency` (whole units).")
    currency: str = Field(
        max_length=3, schema_extra={"pattern": r"^[A-Z]{3}$"}, description="ISO 4217 code."
    )
    amount_usd: float | None = Field(default=None, ge=0, description="Amount in USD.")
    usd_converted: bool = Field(
        default=False, description="True when amount_usd was converted by us, not the source."
    )
    amount_basis: AmountBasis = Field(
        default=AmountBasis.total,
        sa_type=String(10),
        sa_column_kwargs={"server_default": "total"},
        description="`total` over the period, or `per_year`: an annual rate.",
    )
    fx_rate: float | None = Field(default=None, gt=0, description="USD per unit of currency.")
    fx_rate_date: date | None = Field(
        default=None, description="Date of the FX rate, when we converted."
    )
    qualifier: Qualifier = Field(default=Qualifier.exact, sa_type=String(20))
    period_start: date | None = Field(
        default=None, description="First day the money covers; null when the source gives none."
    )
    period_end: date | None = Field(
        default=None, description="Last day the money covers; null when the source gives none."
    )
    status: Status = Field(sa_type=String(20), index=True)
    overlaps_with: str | None = Field(
        default=None,
        max_length=200,
        description="Key of a record that already includes this money (never count both).",
    )
    overlap_reason: str | None = Field(default=None, max_length=1000)


class FundingRecord(VersionFields, FundingRecordBase, table=True):
    __tablename__ = "funding_records"
    __table_args__ = versioned_table_args("funding_records")


class FundingRecordCreate(FundingRecordBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class FundingRecordPublic(RevisionPublic, FundingRecordBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "cn-big-fund-phase-3",
            "program": "China Integrated Circuit Industry Investment Fund (Big Fund), phase III",
            "country": "CN",
            "level": "state_semiconductor_fund",
            "amount": 344000000000,
            "currency": "CNY",
            "amount_usd": 47000000000,
            "usd_converted": False,
            "fx_rate": None,
            "qualifier": "exact",
            "period_start": "2024-05-01",
            "period_end": "2039-05-31",
            "status": "announced",
            "overlaps_with": None,
            "overlap_reason": None,
            "source_location": "section The Compute Gap > Semiconductor Manufacturing",
        }
    )
