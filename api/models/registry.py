"""The model registry: who makes a model and where that lab is.

Three curated tables, each an append-only record kind like every other:
- organizations: a lab, its country, and the labels leaderboards print for it;
- model families: a name pattern that places a model with a lab (gemini -> Google);
- model aliases: another spelling of a model already in the catalog.
"""

import re
from functools import lru_cache

import pycountry
from pydantic import field_validator
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
from api.models.patterns import backtracking_risk


@lru_cache(maxsize=1_024)
def place_problem(code: str) -> str | None:
    """Why a place code (the shape COUNTRY_PATTERN allows) names no real place, or None:
    an ISO 3166-1 country, an ISO 3166-2 subdivision (US-NY) or WLD, the world."""
    if code == "WLD" or pycountry.countries.get(alpha_2=code) is not None:
        return None
    if "-" in code and pycountry.subdivisions.get(code=code) is not None:  # type: ignore[no-untyped-call]
        return None
    return (
        f"{code!r} is not an ISO 3166-1 country code, an ISO 3166-2 subdivision code "
        "or WLD (the world)"
    )


def iso_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code that exists (from pycountry's maintained list)."""
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


class OrganizationBase(ProvenanceFields):
    name: str = Field(max_length=200, description="The lab's usual name, e.g. Zhipu AI.")
    country: str = Field(
        max_length=2,
        index=True,
        description="ISO 3166-1 alpha-2 code of the country the lab is based in.",
    )
    labels: str | None = Field(
        default=None,
        max_length=1000,
        description="Other names leaderboards print for the lab, separated by `;` "
        "(e.g. `Z.ai; Zhipu`). Matched case-insensitively.",
    )

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        return iso_country(value)


class Organization(VersionFields, OrganizationBase, table=True):
    __tablename__ = "organizations"
    __table_args__ = versioned_table_args("organizations")


class OrganizationCreate(OrganizationBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})


class OrganizationPublic(RevisionPublic, OrganizationBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "zhipu-ai",
            "name": "Zhipu AI",
            "country": "CN",
            "labels": "Zhipu; Z.ai; ZhipuAI; Tsinghua & Zhipu",
            "source_key": "aigap-registry",
            "source_location": "organizations.yaml",
        }
    )


class ModelFamilyBase(ProvenanceFields):
    pattern: str = Field(
        max_length=200,
        description="A regular expression searched (case-insensitively) in the model's "
        "normalized name: lower case, words joined by `-`, dates as YYYYMMDD. No repetition "
        "inside a repetition and no repeated alternatives (`(a+)+`, `(a|ab)+`): they can take "
        "exponential time.",
    )
    organization_key: str = Field(max_length=200, description="Key of the organization.")
    priority: int = Field(
        default=100,
        ge=0,
        le=10_000,
        description="Rules are tried in ascending priority, then key; the first match wins. "
        "Derivatives (a Nemotron built on Llama) get a lower number than their base family.",
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        if risk := backtracking_risk(value):
            raise ValueError(
                f"{risk} can take exponential time on some names; write it without the nesting"
            )
        return value


class ModelFamily(VersionFields, ModelFamilyBase, table=True):
    __tablename__ = "model_families"
    __table_args__ = versioned_table_args("model_families")


class ModelFamilyCreate(ModelFamilyBase):
    key: str = Field(max_length=200, schema_extra={"pattern": KEY_PATTERN})
    note: str = Field(min_length=1, description="Why the rule holds: required for review.")


class ModelFamilyPublic(RevisionPublic, ModelFamilyBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "glm",
            "pattern": "^(chat)?glm",
            "organization_key": "zhipu-ai",
            "priority": 100,
            "source_key": "aigap-registry",
            "source_location": "model_families.yaml",
            "note": "GLM and ChatGLM are Zhipu AI's models (with Tsinghua KEG).",
        }
    )


class ModelAliasBase(ProvenanceFields):
    alias: str = Field(max_length=200, description="Another spelling of the model's name.")
    model_key: str = Field(max_length=200, index=True, description="Key of the AI model.")
    source_location: str = Field(default="curator", max_length=300)


class ModelAlias(VersionFields, ModelAliasBase, table=True):
    __tablename__ = "model_aliases"
    __table_args__ = versioned_table_args("model_aliases")


class ModelAliasCreate(ModelAliasBase):
    key: str | None = Field(
        default=None,
        max_length=200,
        description="Derived from the alias (its normalized spelling); leave it out.",
    )


class ModelAliasPublic(RevisionPublic, ModelAliasBase, KeyPublic):
    model_config = public_config(
        {
            **PROVENANCE_EXAMPLE,
            "key": "claude-3-7-sonnet-thinking-32k",
            "alias": "Claude 3.7 Sonnet (thinking-32k)",
            "model_key": "claude-3-7-sonnet-20250219-thinking-32k",
            "source_key": "aigap-registry",
            "source_location": "curator",
        }
    )
