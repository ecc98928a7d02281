"""Results of bulk imports and the change feed."""

from datetime import datetime

from pydantic import BaseModel, Field

from api.models.base import Operation


class ImportResult(BaseModel):
    rows: int = Field(description="Data rows in the file.")
    created: int = Field(description="Records created.")
    revised: int = Field(description="Records given a new revision.")
    unchanged: int = Field(description="Rows identical to the current revision: not written.")
    models_created: list[str] = Field(
        default_factory=list, description="Keys of AI models the import created."
    )

    model_config = {
        "json_schema_extra": {
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
    }


class ChangePublic(BaseModel):
    id: int = Field(description="Position in the feed; increases with every write.")
    kind: str = Field(description="Table of the record, e.g. arena_scores.")
    key: str
    revision: int = Field(description="The revision the write created.")
    operation: Operation
    changed_at: datetime
    changed_by: str | None

    model_config = {
        "json_schema_extra": {
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
    }


class ChangeFeed(BaseModel):
    items: list[ChangePublic]
    next_cursor: str = Field(description="Pass as `since` to get the writes after these.")
    has_more: bool = Field(description="True when more writes follow right away.")

    model_config = {
        "json_schema_extra": {"examples": [{"items": [], "next_cursor": "432", "has_more": False}]}
    }
