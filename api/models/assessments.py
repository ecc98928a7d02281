"""The report's key judgments, with ICD 203 estimative language."""

from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy import false as sa_false
from sqlmodel import Field

from api.models.base import (
    KEY_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    ProvenanceFields,
    RevisionPublic,
    VersionFields,
    public_config,
    versioned_table_args,
)


class Likelihood(StrEnum):
    almost_no_chance = "almost no chance"
    very_unlikely = "very unlikely"
    unlikely = "unlikely"
    roughly_even_chance = "roughly even chance"
    likely = "likely"
    very_likely = "very likely"
    almost_certain = "almost certain"


# ICD 203 (2 January 2015), section D.6.e: the probability range of each term, in percent.
ICD203_RANGES: dict[Likelihood, tuple[int, int]] = {
    Likelihood.almost_no_chance: (1, 5),
    Likelihood.very_unlikely: (5, 20),
    Likelihood.unlikely: (20, 45),
    Likelihood.roughly_even_chance: (45, 55),
    Likelihood.likely: (55, 80),
    Likelihood.very_likely: (80, 95),
    Likelihood.almost_certain: (95, 99),
}


class Confidence(StrEnum):
    low = "low"
    moderate = "moderate"
    high = "high"


class Side(StrEnum):
    US = "US"
    CN = "CN"
    contested = "contested"
    neither = "neither"


class AssessmentScope(StrEnum):
    funding = "funding"
    regulation = "regulation"
    talent = "talent"
    diffusion = "diffusion"
    models = "models"
    compute = "compute"
    overall = "overall"


class AssessmentBase(ProvenanceFields):
    pillar: AssessmentScope = Field(sa_type=String(20), index=True)
    statement: str = Field(sa_type=Text, description="The judgment in the report's words.")
    likelihood: Likelihood | None = Field(
        default=None, sa_type=String(30), description="ICD 203 term; null for a plain statement."
    )
    probability_min: int | None = Field(
        default=None, ge=1, le=99, description="Lower bound of the term's range, percent."
    )
    probability_max: int | None = Field(
        default=None, ge=1, le=99, description="Upper bound of the term's range, percent."
    )
    confidence: Confidence | None = Field(default=None, sa_type=String(10))
    favours: Side = Field(sa_type=String(10), description="Which side the judgment favours.")
    headline: bool = Field(
        default=False,
        sa_column_kwargs={"server_default": sa_false()},
        description="The report's verdict on who leads this pillar (one per pillar).",
    )


class Assessment(VersionFields, AssessmentBase, table=True):
    __tablename__ = "assessments"
    __table_args__ = versioned_table_args("assessments")


class AssessmentCreate(AssessmentBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class AssessmentPublic(RevisionPublic, AssessmentBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "kf-model-gap",
            "pillar": "models",
            "statement": "According to Insikt Group's analysis of model benchmarks, Elo scores, "
            "and industry expert assessments, Chinese generative AI models likely now have a "
            "three to six-month performance gap behind US rivals, though this time lag is "
            "shortening.",
            "likelihood": "likely",
            "probability_min": 55,
            "probability_max": 80,
            "confidence": None,
            "favours": "US",
            "source_location": "Key Findings",
        }
    )
