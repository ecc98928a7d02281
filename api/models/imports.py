"""Results of bulk imports and the change feed."""

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field

from api.models.base import LazyModel, Operation


class ImportResult(LazyModel):
    rows: int = Field(description="Data rows in the file.")
    created: int = Field(description="Records created.")
    revised: int = Field(description="Records given a new revision.")
    unchanged: int = Field(description="Rows identical to the current revision: not written.")
    models_created: list[str] = Field(
        default_factory=list, description="Keys of AI models the import created."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rows": 40,
                    "created": 38,
                    "revised": 2,
                    "unchanged": 0,
                    "models_created": ["gpt-5"],
                }
            ]
        }
    )


class ImportWarning(LazyModel):
    model: str = Field(description="Key of the model in the catalog.")
    name: str = Field(description="The model's name as the leaderboard spells it.")
    leaderboard_organization: str | None = Field(
        description="The organization label the leaderboard printed, if any."
    )
    reason: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "model": "mystery-model-0425",
                    "name": "Mystery-Model-0425",
                    "leaderboard_organization": None,
                    "reason": "unclassified: no family rule or organization label places it; "
                    "it counts for no country until the registry does",
                }
            ]
        }
    )


class LmarenaImportResult(ImportResult):
    retired: int = Field(
        description="Scores of this month and category from an earlier snapshot that this "
        "one no longer lists, retired."
    )
    source_location: str = Field(description="The provenance every imported row carries.")
    warnings: list[ImportWarning] = Field(
        description="Models imported without a country (unclassified)."
    )

    @classmethod
    def from_report(cls, report: Any) -> "LmarenaImportResult":
        return cls(
            rows=report.rows,
            created=report.created,
            revised=report.revised,
            unchanged=report.unchanged,
            models_created=report.models_created,
            retired=report.retired,
            source_location=report.source_location,
            warnings=[
                ImportWarning(
                    model=model.model_key,
                    name=model.name,
                    leaderboard_organization=model.leaderboard_organization,
                    reason=UNCLASSIFIED_REASON,
                )
                for model in report.unclassified
            ],
        )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rows": 222,
                    "created": 222,
                    "revised": 0,
                    "unchanged": 0,
                    "models_created": ["gemini-2.5-pro-exp-03-25"],
                    "retired": 0,
                    "source_location": "LMArena leaderboard JSON, category full, snapshot "
                    "2025-04-24",
                    "warnings": [],
                }
            ]
        }
    )


UNCLASSIFIED_REASON = (
    "unclassified: no family rule, catalog entry or organization label places it; it counts "
    "for no country until the registry does (a registry write reclassifies it)"
)


class ChangePublic(LazyModel):
    id: int = Field(description="Position in the feed; increases with every write.")
    kind: str = Field(description="Table of the record, e.g. arena_scores.")
    key: str
    revision: int = Field(description="The revision the write created.")
    operation: Operation
    changed_at: datetime
    changed_by: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 432,
                    "kind": "arena_scores",
                    "key": "2025-04.deepseek-r1",
                    "revision": 1,
                    "operation": "create",
                    "changed_at": "2026-11-28T12:00:00Z",
                    "changed_by": "curator-alice",
                }
            ]
        }
    )


class ChangeFeed(LazyModel):
    items: list[ChangePublic]
    next_cursor: str = Field(description="Pass as `since` to get the writes after these.")
    has_more: bool = Field(description="True when more writes follow right away.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [], "next_cursor": "432", "has_more": False}]}
    )
