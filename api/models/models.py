"""Model-performance pillar: model cards and monthly Arena (Elo) scores."""

from datetime import date

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
    public_config,
    versioned_table_args,
)


class AiModelBase(ProvenanceFields):
    name: str = Field(max_length=200, description="Name as listed on the Arena leaderboard.")
    organization: str = Field(max_length=200)
    country: str = Field(max_length=8, schema_extra={"pattern": COUNTRY_PATTERN}, index=True)
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


class AiModel(VersionFields, AiModelBase, table=True):
    __tablename__ = "ai_models"
    __table_args__ = versioned_table_args("ai_models")


class AiModelCreate(AiModelBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class ArenaScoreBase(ProvenanceFields):
    month: str = Field(
        max_length=7, schema_extra={"pattern": MONTH_PATTERN}, index=True, description="YYYY-MM."
    )
    model_key: str = Field(max_length=200, index=True, description="Key of the AI model.")
    score: float = Field(description="Arena (Elo) rating, points.")
    ci_lower: float | None = Field(default=None, description="95% interval, lower, points.")
    ci_upper: float | None = Field(default=None, description="95% interval, upper, points.")
    votes: int | None = Field(default=None, ge=0, description="Votes behind the score.")


class ArenaScore(VersionFields, ArenaScoreBase, table=True):
    __tablename__ = "arena_scores"
    __table_args__ = versioned_table_args("arena_scores")


class ArenaScoreCreate(ArenaScoreBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class AiModelPublic(RevisionPublic, AiModelBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "deepseek-r1",
            "name": "deepseek-r1",
            "organization": "DeepSeek",
            "country": "CN",
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
    country: str | None = Field(description="The model's country, ISO 3166 alpha-2.")

    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "2025-01.deepseek-r1",
            "month": "2025-01",
            "model_key": "deepseek-r1",
            "organization": "DeepSeek",
            "country": "CN",
            "score": 1357,
            "ci_lower": None,
            "ci_upper": None,
            "votes": None,
            "source_location": "Appendix B",
            "cited_source": "LMsys ChatArena",
        }
    )
