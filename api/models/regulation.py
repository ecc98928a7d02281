"""Regulation pillar: laws, provisions, orders, standards, vetoes, repeals."""

from datetime import date
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    ProvenanceFields,
    RevisionPublic,
    VersionFields,
    public_config,
    versioned_table_args,
)


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class RegulationEventBase(ProvenanceFields):
    jurisdiction: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
    instrument: str = Field(max_length=500, description="Name of the law, order or standard.")
    kind: str = Field(
        max_length=40,
        schema_extra={"pattern": r"^[a-z_]+$"},
        description="law, provision, veto, ...",
    )
    event_date: date | None = Field(default=None, description="Null when the source gives none.")
    date_precision: DatePrecision | None = Field(default=None, sa_type=String(5))
    scope: str | None = Field(default=None, max_length=1000)
    status: str = Field(
        max_length=20, schema_extra={"pattern": r"^[a-z_]+$"}, description="in_force, draft, ..."
    )
    description: str | None = Field(default=None, sa_type=Text)


class RegulationEvent(VersionFields, RegulationEventBase, table=True):
    __tablename__ = "regulation_events"
    __table_args__ = versioned_table_args("regulation_events")


class RegulationEventCreate(RegulationEventBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class RegulationEventPublic(RevisionPublic, RegulationEventBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "us-ca-ai-safety-bill-veto",
            "jurisdiction": "US-CA",
            "instrument": "California AI safety-testing bill",
            "kind": "veto",
            "event_date": None,
            "date_precision": None,
            "scope": "Mandated safety testing for 32 of the world's top 50 AI companies.",
            "status": "issued",
            "description": "The bill was ultimately vetoed.",
            "source_location": "section AI Regulation",
        }
    )
