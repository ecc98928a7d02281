"""The change log: one row per write, in commit order. It drives the data version."""

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field

from api.models.base import LazySQLModel, Operation, UTCDateTime


class Change(LazySQLModel, table=True):
    __tablename__ = "changes"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True, description="Table of the record.")
    key: str = Field(max_length=200)
    revision: int = Field(ge=1)
    operation: Operation = Field(sa_type=String(10))
    changed_at: datetime = Field(sa_type=UTCDateTime)
    changed_by: str | None = Field(default=None, max_length=120)
