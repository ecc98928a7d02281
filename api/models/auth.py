"""API keys (stored hashed), the write lock, and rate-limit windows."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from api.models.base import LazySQLModel, UTCDateTime
from api.scopes import Scope

__all__ = ["ApiKey", "RateLimitWindow", "Scope", "WriteLock"]


class ApiKey(LazySQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    prefix: str = Field(max_length=16, index=True, description="First characters, for lookup.")
    key_hash: str = Field(max_length=64, description="SHA-256 of the whole key, hex.")
    scope: Scope = Field(sa_type=String(10))
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WriteLock(LazySQLModel, table=True):
    """One row that every write transaction updates first, so writes are serialized:
    change ids are then assigned in commit order and If-Match checks cannot race."""

    __tablename__ = "write_lock"

    id: int = Field(primary_key=True)
    writes: int = Field(default=0)


class RateLimitWindow(LazySQLModel, table=True):
    """Requests counted per bucket (key or address) and fixed window, shared by processes."""

    __tablename__ = "rate_limit_windows"
    __table_args__ = (UniqueConstraint("bucket", "window_start"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=200)
    window_start: int = Field(description="Unix time of the window's start, seconds.")
    hits: int = Field(default=0)
