"""What every table shares: naming convention, vocabularies, revision and provenance columns."""

import time
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import DateTime, Dialect, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type of SQLModel.model_config

# Set before the first table so constraint names are identical on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Tables, public records and computed answers build their validators and serializers on
# first use, not at import: a worker reaches its first answer without building the ~100
# schemas that request does not need (70 ms of `aigap serve`'s 0.97 s start). Request bodies
# (`XBase`, `XCreate`) stay eager: FastAPI builds a body's adapter under a warning filter of
# its own, and an adapter left for later would warn that the parameter's alias is unused.
class LazyModel(BaseModel):
    model_config = ConfigDict(defer_build=True)


class LazySQLModel(SQLModel):
    model_config = SQLModelConfig(defer_build=True)  # merged into SQLModel's own


PRIMARY_SOURCE = "insikt-2025-us-china-ai-gap"
KEY_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
COUNTRY_PATTERN = r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|WLD)$"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class Pillar(StrEnum):
    funding = "funding"
    regulation = "regulation"
    talent = "talent"
    diffusion = "diffusion"
    models = "models"
    compute = "compute"


class Status(StrEnum):
    actual = "actual"
    budgeted = "budgeted"
    estimate = "estimate"
    projected = "projected"
    announced = "announced"
    target = "target"


class Qualifier(StrEnum):
    """How exact a figure is, in the source's own words ("more than", "about", ...)."""

    exact = "exact"
    about = "about"
    more_than = "more_than"
    at_least = "at_least"
    less_than = "less_than"
    up_to = "up_to"
    between = "between"


class Operation(StrEnum):
    create = "create"
    revise = "revise"
    retire = "retire"


def utcnow() -> datetime:
    return datetime.now(UTC)


def current_month() -> str:
    """This UTC month, `YYYY-MM`. An import asks once a row, so it is worked out once an hour
    (a month always begins on the hour): `strftime` a row was a tenth of a 100,000-row import."""
    return _month_of_hour(int(time.time() // 3600))


def refuse_unbegun_actual(status: Status, start: date | None) -> None:
    """An actual figure is of a period that has begun: one dated later (a year typed 2062
    for 2026) would be quoted as what happened, and lead every "latest" figure."""
    if status is Status.actual and start is not None and start > datetime.now(UTC).date():
        raise ValueError(
            f"status actual for a period from {start.isoformat()}, which has not begun; "
            "a later figure is projected, budgeted, announced, a target or an estimate"
        )


@lru_cache(maxsize=1)
def _month_of_hour(hour: int) -> str:
    return datetime.fromtimestamp(hour * 3600, UTC).strftime("%Y-%m")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both databases (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class VersionFields(LazySQLModel):
    """One row is one revision of a record; `key` is the record's identity across revisions.

    The current revision has `valid_to` NULL. A correction closes the current row
    (`valid_to` = now) and inserts revision n+1; nothing is updated in place but `valid_to`.
    A retired (soft-deleted) record's last revision has `retired` true.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    revision: int = Field(default=1, ge=1)
    valid_from: datetime = Field(sa_type=UTCDateTime)
    valid_to: datetime | None = Field(default=None, sa_type=UTCDateTime)
    retired: bool = Field(default=False)
    changed_by: str | None = Field(default=None, max_length=120)


class ProvenanceFields(SQLModel):
    """Where a figure comes from: the source record, and where in it."""

    source_key: str = Field(default=PRIMARY_SOURCE, max_length=200, index=True)
    source_location: str = Field(max_length=300)
    cited_source: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, sa_type=Text)


def versioned_table_args(table: str) -> tuple[Any, ...]:
    return (
        UniqueConstraint("key", "revision"),
        Index(f"ix_{table}_current", "valid_to", "key"),
    )


# Columns that describe a revision rather than the record's content.
VERSION_COLUMNS = frozenset(VersionFields.model_fields)


class KeyPublic(LazySQLModel):
    key: str = Field(description="The record's identity, stable across revisions.")


class RevisionPublic(LazySQLModel):
    """What every record returns about the revision it is."""

    revision: int = Field(description="1 for the first version, plus one per correction.")
    valid_from: datetime = Field(description="When this revision became current (UTC).")
    valid_to: datetime | None = Field(
        description="When a later revision replaced it (UTC); null while current."
    )
    retired: bool = Field(description="True when this revision retires (soft-deletes) it.")
    changed_by: str | None = Field(description="Who wrote this revision.")


REVISION_EXAMPLE = {
    "revision": 1,
    "valid_from": "2026-11-28T12:00:00Z",
    "valid_to": None,
    "retired": False,
    "changed_by": "seed",
}
PROVENANCE_EXAMPLE = {
    "source_key": PRIMARY_SOURCE,
    "cited_source": None,
    "note": None,
}


def public_config(example: dict[str, Any]) -> Any:
    """model_config with one full example: the record's fields plus revision bookkeeping."""
    return {"json_schema_extra": {"examples": [{**example, **REVISION_EXAMPLE}]}}
