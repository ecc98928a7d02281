"""Model-performance pillar: model cards and monthly Arena (Elo) scores."""

from datetime import date
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import String
from sqlmodel import Field

from api.models.base import (
    COUNTRY_PATTERN,
    KEY_PATTERN,
    MONTH_PATTERN,
    PROVENANCE_EXAMPLE,
    KeyPublic,
    ProvenanceFields,
    RevisionPublic,
    VersionFields,
    current_month,
    public_config,
    versioned_table_args,
)


class Classification(StrEnum):
    """How a model's organization and country are known."""

    curated = "curated"  # given by the source, or set by a curator
    inferred = "inferred"  # set by a curator although the source does not say it
    family_rule = "family_rule"  # from a model-family rule of the registry
    leaderboard_label = "leaderboard_label"  # the leaderboard's organization label
    unclassified = "unclassified"  # the registry cannot place it: it counts for no country


# Classifications the registry recomputes after every registry write; curated and
# inferred ones are a person's word and are never changed by a rule.
DERIVED_CLASSIFICATIONS = frozenset(
    {Classification.family_rule, Classification.leaderboard_label, Classification.unclassified}
)


class AiModelBase(ProvenanceFields):
    name: str = Field(max_length=200, description="Name as listed on the Arena leaderboard.")
    organization: str | None = Field(
        default=None, max_length=200, description="The lab; null while unclassified."
    )
    country: str | None = Field(
        default=None,
        max_length=8,
        schema_extra={"pattern": COUNTRY_PATTERN},
        index=True,
        description="ISO 3166 alpha-2 code of the lab; null while unclassified.",
    )
    classification: Classification = Field(
        default=Classification.curated,
        sa_type=String(20),
        description="How organization and country are known: `curated` (from the source or a "
        "curator), `inferred` (a curator's inference the source does not state), "
        "`family_rule`, `leaderboard_label`, or `unclassified` (counted for no country).",
    )
    family_rule: str | None = Field(
        default=None, max_length=200, description="Key of the family rule that placed it."
    )
    leaderboard_organization: str | None = Field(
        default=None,
        max_length=200,
        description="The organization label the leaderboard printed, as last imported.",
    )
    release_date: date | None = None
    open_weights: bool | None = None
    mmlu: float | None = Field(default=None, ge=0, le=100, description="MMLU score, percent.")
    gpqa: float | None = Field(default=None, ge=0, le=100, description="GPQA score, percent.")
    usd_per_m_input: float | None = Field(
        default=None, ge=0, description="USD per million input tokens."
    )
    usd_per_m_output: float | None = Field(
        default=None, ge=0, description="USD per million output tokens."
    )

    @model_validator(mode="after")
    def _classified_consistently(self) -> "AiModelBase":
        placed = self.organization is not None and self.country is not None
        if self.classification is Classification.unclassified:
            if self.organization is not None or self.country is not None:
                raise ValueError("an unclassified model has no organization and no country")
        elif not placed:
            raise ValueError(
                f"a {self.classification.value} model needs an organization and a country"
            )
        if (self.classification is Classification.family_rule) != (self.family_rule is not None):
            raise ValueError("family_rule is set exactly when classification is family_rule")
        return self


class AiModel(VersionFields, AiModelBase, table=True):
    __tablename__ = "ai_models"
    __table_args__ = versioned_table_args("ai_models")


class AiModelCreate(AiModelBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


# Arena ratings have run from about 800 to 1500 since 2023; outside this range a score is a
# typo or another scale, not a rating.
ARENA_SCORE_RANGE = (400.0, 2500.0)


class ArenaScoreBase(ProvenanceFields):
    month: str = Field(
        max_length=7, schema_extra={"pattern": MONTH_PATTERN}, index=True, description="YYYY-MM."
    )
    category: str = Field(
        default="full",
        max_length=40,
        schema_extra={"pattern": r"^[a-z0-9_]+$"},
        description="Leaderboard category; only `full` (the overall text leaderboard, the one "
        "the report uses) feeds the lag. Categories are never mixed.",
    )
    model_key: str = Field(max_length=200, index=True, description="Key of the AI model.")
    score: float = Field(
        ge=ARENA_SCORE_RANGE[0], le=ARENA_SCORE_RANGE[1], description="Arena (Elo) rating, points."
    )
    ci_lower: float | None = Field(
        default=None,
        ge=ARENA_SCORE_RANGE[0],
        le=ARENA_SCORE_RANGE[1],
        description="Lower end of the published 95% interval, points.",
    )
    ci_upper: float | None = Field(
        default=None,
        ge=ARENA_SCORE_RANGE[0],
        le=ARENA_SCORE_RANGE[1],
        description="Upper end of the published 95% interval, points.",
    )
    votes: int | None = Field(default=None, ge=0, description="Votes behind the score.")

    @model_validator(mode="after")
    def _interval_around_score(self) -> "ArenaScoreBase":
        if (self.ci_lower is None) != (self.ci_upper is None):
            raise ValueError("give both ends of the interval (ci_lower and ci_upper) or neither")
        if self.ci_lower is not None and self.ci_upper is not None:
            if not self.ci_lower <= self.score <= self.ci_upper:
                raise ValueError(
                    "the interval must contain the score: ci_lower <= score <= ci_upper"
                )
        return self


class ArenaScore(VersionFields, ArenaScoreBase, table=True):
    __tablename__ = "arena_scores"
    __table_args__ = versioned_table_args("arena_scores")


class ArenaScoreCreate(ArenaScoreBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})

    @field_validator("month")
    @classmethod
    def _month_has_begun(cls, month: str) -> str:
        """A later month has no leaderboard yet; its scores would become the current lag."""
        if month > (this_month := current_month()):
            raise ValueError(f"{month} has not begun; the latest month to score is {this_month}")
        return month


class AiModelPublic(RevisionPublic, AiModelBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "deepseek-r1",
            "name": "deepseek-r1",
            "organization": "DeepSeek",
            "country": "CN",
            "classification": "curated",
            "family_rule": None,
            "leaderboard_organization": None,
            "release_date": "2025-01-20",
            "open_weights": True,
            "mmlu": 90.8,
            "gpqa": 71.5,
            "usd_per_m_input": 0.55,
            "usd_per_m_output": 2.19,
            "source_location": "Table 4; Appendix B",
            "cited_source": "LLMStats; LMsys ChatArena",
        }
    )


class ArenaScorePublic(RevisionPublic, ArenaScoreBase, KeyPublic):
    organization: str | None = Field(
        description="The model's organization (from the model catalog at the same as_of)."
    )
    country: str | None = Field(
        description="The model's country, ISO 3166 alpha-2; null while unclassified."
    )
    classification: Classification | None = Field(
        description="How the model's organization and country are known (see the catalog)."
    )

    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "2025-01.deepseek-r1",
            "month": "2025-01",
            "category": "full",
            "model_key": "deepseek-r1",
            "organization": "DeepSeek",
            "country": "CN",
            "classification": "curated",
            "score": 1357,
            "ci_lower": None,
            "ci_upper": None,
            "votes": None,
            "source_location": "Appendix B",
            "cited_source": "LMsys ChatArena",
        }
    )
