"""Indicators (what is measured) and observations (one value for a country and period)."""

from datetime import date

from pydantic import model_validator
from sqlalchemy import Index, String, text
from sqlmodel import Field, SQLModel

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    Pillar,
    ProvenanceFields,
    Qualifier,
    RevisionPublic,
    Status,
    VersionFields,
    public_config,
    refuse_unbegun_actual,
    versioned_table_args,
)

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?(/\d{4}(-(0[1-9]|1[0-2]))?)?$"


class IndicatorBase(SQLModel):
    pillar: Pillar = Field(sa_type=String(20), index=True, description="Pillar slug.")
    name: str = Field(max_length=300, description="Human-readable name.")
    unit: str = Field(max_length=60, description="Unit of every observation's value.")
    description: str | None = Field(default=None, max_length=2000)
    higher_is_better: bool | None = Field(
        default=None, description="Direction of advantage; null when it has none."
    )
    headline: bool = Field(default=False, description="Shown on the pillar's scorecard.")


class Indicator(VersionFields, IndicatorBase, table=True):
    __tablename__ = "indicators"
    __table_args__ = versioned_table_args("indicators")


class IndicatorCreate(IndicatorBase):
    key: str = Field(
        max_length=200, schema_extra={"pattern": KEY_PATTERN}, description="The indicator code."
    )


class ObservationBase(ProvenanceFields):
    indicator_key: str = Field(max_length=200, index=True, description="Indicator code.")
    country: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
    period: str | None = Field(
        default=None,
        max_length=24,
        schema_extra={"pattern": PERIOD_PATTERN},
        description="YYYY, YYYY-MM, YYYY-MM-DD or a span YYYY/YYYY; null when the source "
        "dates it nowhere (an undated target or projection).",
    )
    period_start: date | None = Field(default=None, description="First day the period covers.")
    period_end: date | None = Field(default=None, description="Last day the period covers.")
    value: float = Field(description="The figure, in the indicator's unit (or `unit`).")
    value_max: float | None = Field(default=None, description="Upper bound when `between`.")
    qualifier: Qualifier = Field(default=Qualifier.exact, sa_type=String(20))
    unit: str | None = Field(default=None, max_length=60, description="Overrides the unit.")
    status: Status = Field(default=Status.actual, sa_type=String(20), index=True)
    inferred_fields: str | None = Field(
        default=None,
        max_length=300,
        schema_extra={"pattern": r"^[a-z_]+(,[a-z_]+)*$"},
        description="Comma-separated fields whose value is our inference, not the source's "
        "(the note says how); null when every value is the source's.",
    )


class Observation(VersionFields, ObservationBase, table=True):
    __tablename__ = "observations"
    __table_args__ = (
        *versioned_table_args("observations"),
        # Current rows in the lists' default order, reached from an indicator or a country:
        # a filtered page is read in index order and stops at the page's last row. The
        # country index also holds what the common filters test (and valid_to, its own
        # condition, which SQLite needs to read it as covering): a list's total by country
        # counts the index alone.
        *(
            Index(
                f"ix_observations_current_{name}",
                *columns,
                "period_start",
                "key",
                *tested,
                sqlite_where=text("valid_to IS NULL"),
                postgresql_where=text("valid_to IS NULL"),
            )
            for name, columns, tested in (
                ("series", ("indicator_key", "country"), ()),
                (
                    "country",
                    ("country", "indicator_key"),
                    ("retired", "status", "period_end", "valid_to"),
                ),
            )
        ),
        # For counting only: a list's total by country, status and date reads just the
        # entries that match. Its condition names `key IS NOT NULL`, which only the count
        # states (RecordKind.count_marker), so SQLite never reads a page through it and
        # then sorts every match.
        Index(
            "ix_observations_current_count",
            "country",
            "status",
            "period_end",
            *("retired", "valid_to", "key"),  # its condition's columns: SQLite reads it alone
            sqlite_where=text('valid_to IS NULL AND retired IS 0 AND "key" IS NOT NULL'),
            postgresql_where=text("valid_to IS NULL AND retired IS false AND key IS NOT NULL"),
        ),
    )


class ObservationCreate(ObservationBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})

    @model_validator(mode="after")
    def _range_in_order(self) -> "ObservationCreate":
        """A `between` is a range from value to value_max; nothing else has a value_max."""
        if (self.value_max is not None) != (self.qualifier is Qualifier.between):
            raise ValueError("value_max goes with qualifier between, and between with value_max")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max is below value")
        refuse_unbegun_actual(self.status, self.period_start)
        return self


class IndicatorPublic(RevisionPublic, IndicatorBase, KeyPublic):
    model_config = public_config(
        {
            "key": "ai-accelerators",
            "pillar": "compute",
            "name": "AI accelerators possessed by end of year",
            "unit": "accelerators",
            "description": "AI accelerators a country will possess (SemiAnalysis and CSIS).",
            "higher_is_better": True,
            "headline": True,
        }
    )


class ObservationPublic(RevisionPublic, ObservationBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "ai-accelerators-us-2025",
            "indicator_key": "ai-accelerators",
            "country": "US",
            "period": "2025",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": 14310000,
            "value_max": None,
            "qualifier": "more_than",
            "unit": None,
            "status": "projected",
            "source_location": "section High-Performance Computing",
            "cited_source": "SemiAnalysis and CSIS",
        }
    )
