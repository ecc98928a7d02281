"""Timeline: dated events the report cites (releases, indictments, foundings, papers)."""

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import model_validator
from sqlalchemy import String, Text
from sqlmodel import Field

from api.models.assessments import AssessmentScope
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
from api.models.regulation import DatePrecision


class TimelineKind(StrEnum):
    release = "release"  # a model, product or technique made public
    announcement = "announcement"  # a company or agency says what it did or will do
    publication = "publication"  # a paper, report or study
    patent = "patent"  # a patent filed
    legal_action = "legal_action"  # an indictment, conviction or ruling
    founding = "founding"  # an organization or group created
    plan = "plan"  # a state plan or programme and its span
    statement = "statement"  # officials' public remarks


class TimelineEventBase(ProvenanceFields):
    pillar: AssessmentScope = Field(
        sa_type=String(20), index=True, description="Pillar the event bears on, or overall."
    )
    country: str | None = Field(
        default=None,
        max_length=8,
        schema_extra={"pattern": COUNTRY_PATTERN},
        index=True,
        description="Country of the actor; WLD for several; null when none applies.",
    )
    kind: TimelineKind = Field(sa_type=String(20))
    title: str = Field(max_length=300, description="What happened, in a line.")
    event_date: date = Field(
        index=True, description="When; a month or year is its first day (see date_precision)."
    )
    date_precision: DatePrecision = Field(sa_type=String(5))
    end_date: date | None = Field(default=None, description="Last day, for an event with a span.")
    description: str | None = Field(default=None, sa_type=Text)
    inferred_fields: str | None = Field(
        default=None,
        max_length=300,
        schema_extra={"pattern": r"^[a-z_]+(,[a-z_]+)*$"},
        description="Comma-separated fields whose value is our inference, not the source's.",
    )

    @model_validator(mode="after")
    def _span(self) -> Self:
        if self.end_date is not None and self.end_date < self.event_date:
            raise ValueError("end_date is before event_date")
        return self


class TimelineEvent(VersionFields, TimelineEventBase, table=True):
    __tablename__ = "timeline_events"
    __table_args__ = versioned_table_args("timeline_events")


class TimelineEventCreate(TimelineEventBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class TimelineEventPublic(RevisionPublic, TimelineEventBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "us-doj-indictment-google-engineer-2025-02",
            "pillar": "overall",
            "country": "US",
            "kind": "legal_action",
            "title": "US Department of Justice indicts a former Google software engineer",
            "event_date": "2025-02-01",
            "date_precision": "month",
            "end_date": None,
            "description": "Alleged attempts between mid-2022 and mid-2023 to steal proprietary "
            "information on hardware and software enabling supercomputing for large AI models.",
            "inferred_fields": None,
            "source_location": "section China's AI Industry and Landscape",
        }
    )
