"""Talent pillar records that a generic observation does not fit (Table 1)."""

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
    VersionFields,
    public_config,
    versioned_table_args,
)


class NeuripsInstitutionBase(ProvenanceFields):
    entity: str = Field(max_length=300)
    sector: str = Field(max_length=100, description="Academia, Industry, Government (...).")
    country: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
    period: str = Field(max_length=24, description="Conference years counted, e.g. 2021/2024.")
    papers: int = Field(ge=0, description="Accepted NeurIPS papers with a co-author there.")
    papers_qualifier: Qualifier = Field(default=Qualifier.exact, sa_type=String(20))
    rank: int | None = Field(default=None, ge=1, description="Rank among entrants; null: N/A.")


class NeuripsInstitution(VersionFields, NeuripsInstitutionBase, table=True):
    __tablename__ = "neurips_institutions"
    __table_args__ = versioned_table_args("neurips_institutions")


class NeuripsInstitutionCreate(NeuripsInstitutionBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class NeuripsInstitutionPublic(RevisionPublic, NeuripsInstitutionBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "tsinghua-university",
            "entity": "Tsinghua University",
            "sector": "Academia",
            "country": "CN",
            "period": "2021/2024",
            "papers": 643,
            "papers_qualifier": "exact",
            "rank": 1,
            "source_location": "Table 1",
            "cited_source": "PaperCopilot",
        }
    )
