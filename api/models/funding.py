"""Funding pillar: government budgets, guidance funds, semiconductor funds, private capital."""

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import model_validator
from sqlalchemy import String
from sqlmodel import Field

from api.models.assessments import Confidence
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
    refuse_unbegun_actual,
    versioned_table_args,
)

INFERRED_PATTERN = r"^[a-z_]+(,[a-z_]+)*$"


class FundingLevel(StrEnum):
    central_government = "central_government"
    subnational = "subnational"  # a state, province or city
    government_guidance_funds = "government_guidance_funds"  # central + provincial + local
    state_semiconductor_fund = "state_semiconductor_fund"
    private_vc = "private_vc"
    corporate_capex = "corporate_capex"


class FundingMeasure(StrEnum):
    """What an amount measures. Totals add only amounts of one measure."""

    annual_budget = "annual_budget"  # government money for one (fiscal) year, budgeted or spent
    cumulative_budget = "cumulative_budget"  # budgeted in total over several or unstated years
    period_spending = "period_spending"  # spent, invested or lent over a stated period
    fund_size = "fund_size"  # a fund's size, registered capital or commitments received
    capex_plan = "capex_plan"  # planned spending by companies or on a project
    investment_flow = "investment_flow"  # private-sector investment over a period
    pledge_target = "pledge_target"  # a pledge or a fundraising target


class AmountBasis(StrEnum):
    total = "total"  # the whole amount over the period
    per_year = "per_year"  # an annual rate that holds through the period


class OverlapKind(StrEnum):
    """How a record's money relates to the record named in `overlaps_with`."""

    part_of = "part_of"  # the other record includes this money (the source says so)
    same_money = "same_money"  # another figure for the same money: restatement, average, ...
    possibly_part_of = "possibly_part_of"  # may be included; the source does not say


FUNDING_FIELDS_INFERABLE = frozenset(
    {
        "amount",
        "amount_max",
        "amount_usd",
        "amount_usd_max",
        "period_start",
        "period_end",
        "annualize_start",
        "annualize_end",
        "level",
        "measure",
        "status",
        "qualifier",
        "overlaps_with",
        "country",
    }
)


class FundingRecordBase(ProvenanceFields):
    program: str = Field(max_length=300, description="Programme, fund or budget line.")
    country: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
    level: FundingLevel = Field(sa_type=String(30), index=True)
    measure: FundingMeasure = Field(
        sa_type=String(30),
        index=True,
        description="What the amount measures: annual_budget, cumulative_budget, "
        "period_spending, fund_size, capex_plan, investment_flow or pledge_target. Totals "
        "never add two measures.",
    )
    amount: float = Field(ge=0, description="Amount in `currency` (whole units).")
    amount_max: float | None = Field(
        default=None, ge=0, description="Upper end of the amount, with qualifier `between`."
    )
    currency: str = Field(
        max_length=3, schema_extra={"pattern": r"^[A-Z]{3}$"}, description="ISO 4217 code."
    )
    amount_usd: float | None = Field(default=None, ge=0, description="Amount in USD.")
    amount_usd_max: float | None = Field(
        default=None, ge=0, description="Upper end in USD, with qualifier `between`."
    )
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
    fx_rate_source: str | None = Field(
        default=None, max_length=300, description="Where the FX rate comes from, when we converted."
    )
    qualifier: Qualifier = Field(default=Qualifier.exact, sa_type=String(20))
    period_start: date | None = Field(
        default=None, description="First day the money covers; null when the source gives none."
    )
    period_end: date | None = Field(
        default=None, description="Last day the money covers; null when the source gives none."
    )
    annualize_start: date | None = Field(
        default=None,
        description="First day of the span the source spreads (or says it spends) the amount "
        "over, when that differs from the period or the measure is a stock (a fund size).",
    )
    annualize_end: date | None = Field(default=None, description="Last day of that span.")
    status: Status = Field(sa_type=String(20), index=True)
    confidence: Confidence | None = Field(
        default=None, sa_type=String(10), description="The source's confidence, where it gives one."
    )
    overlaps_with: str | None = Field(
        default=None,
        max_length=200,
        description="Key of a record whose money includes (or may include) this one's.",
    )
    overlap_kind: OverlapKind | None = Field(
        default=None,
        sa_type=String(20),
        description="part_of, same_money or possibly_part_of; with overlaps_with.",
    )
    overlap_reason: str | None = Field(default=None, max_length=1000)
    inferred_fields: str | None = Field(
        default=None,
        max_length=300,
        schema_extra={"pattern": INFERRED_PATTERN},
        description="Comma-separated fields whose value is our inference, not the source's "
        "(the note says how); null when every value is the source's.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.overlaps_with is None) != (self.overlap_kind is None):
            raise ValueError("overlaps_with and overlap_kind go together")
        if (self.annualize_start is None) != (self.annualize_end is None):
            raise ValueError("annualize_start and annualize_end go together")
        if (
            self.annualize_start
            and self.annualize_end
            and self.annualize_start > self.annualize_end
        ):
            raise ValueError("annualize_start is after annualize_end")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        ranged = self.amount_max is not None or self.amount_usd_max is not None
        if ranged != (self.qualifier is Qualifier.between):
            raise ValueError("amount_max (or amount_usd_max) goes with qualifier between")
        if self.amount_max is not None and self.amount_max < self.amount:
            raise ValueError("amount_max is below amount")
        if self.inferred_fields:
            unknown = set(self.inferred_fields.split(",")) - FUNDING_FIELDS_INFERABLE
            if unknown:
                raise ValueError(f"inferred_fields: not a funding field: {', '.join(unknown)}")
        return self


class FundingRecord(VersionFields, FundingRecordBase, table=True):
    __tablename__ = "funding_records"
    __table_args__ = versioned_table_args("funding_records")


class FundingRecordCreate(FundingRecordBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})

    @model_validator(mode="after")
    def _actual_has_begun(self) -> Self:
        refuse_unbegun_actual(self.status, self.period_start)
        return self


class FundingRecordPublic(RevisionPublic, FundingRecordBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "cn-big-fund-phase-3",
            "program": "China Integrated Circuit Industry Investment Fund (Big Fund), phase III",
            "country": "CN",
            "level": "state_semiconductor_fund",
            "measure": "fund_size",
            "amount": 344000000000,
            "amount_max": None,
            "currency": "CNY",
            "amount_usd": 47000000000,
            "amount_usd_max": None,
            "usd_converted": False,
            "amount_basis": "total",
            "fx_rate": None,
            "fx_rate_date": None,
            "fx_rate_source": None,
            "qualifier": "exact",
            "period_start": "2024-05-01",
            "period_end": "2039-05-31",
            "annualize_start": "2024-05-01",
            "annualize_end": "2039-05-31",
            "status": "announced",
            "confidence": None,
            "overlaps_with": None,
            "overlap_kind": None,
            "overlap_reason": None,
            "inferred_fields": "period_start,period_end",
            "source_location": "section The Compute Gap > Semiconductor Manufacturing",
        }
    )
