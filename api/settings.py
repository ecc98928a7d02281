"""The one settings object. Every field reads from an `AIGAP_`-prefixed environment variable."""

import os
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["debug", "info", "warning", "error", "critical"]


def normalize_database_url(url: str) -> str:
    """Accept plain `postgresql://` / `postgres://` URLs and pick the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIGAP_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./aigap.db",
        description="SQLAlchemy URL; sqlite:///path or postgresql://user@host:port/db.",
    )
    host: str = Field(default="127.0.0.1", description="Address `aigap serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `aigap serve` listens on.")
    log_level: LogLevel = Field(default="info", description="Server log level.")
    workers: int = Field(default=1, ge=1, le=64, description="Server worker processes.")
    db_pool_size: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Database connections per worker, and the read path's threads that use "
        "them (on SQLite at most one per CPU).",
    )
    read_on_loop_seconds: float = Field(
        default=0.02,
        ge=0,
        le=1,
        description="On SQLite, how long a list's read may run on the event loop itself "
        "before a thread reads it instead; 0 reads every list in a thread.",
    )
    db_connect_timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds to wait for a database connection."
    )
    db_heartbeat_seconds: float = Field(
        default=0.5,
        gt=0,
        le=60,
        description="On PostgreSQL, how often each worker checks that the database answers; "
        "a worker answers from what it knows without a query only while its last check is "
        "under twice this old.",
    )
    worker_start_timeout: int = Field(
        default=60, ge=5, le=600, description="Seconds a new worker may take to answer."
    )
    db_read_timeout: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="Seconds a request waits for the data version before answering 503.",
    )
    db_statement_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds one database statement may take (PostgreSQL statement_timeout, "
        "an interrupt on SQLite); then a 503.",
    )
    request_timeout: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Seconds a request may spend on the database once its body is in; "
        "then its statement is interrupted and the answer is a 503.",
    )
    max_header_bytes: int = Field(
        default=16_384,
        ge=1_024,
        le=1_048_576,
        description="Largest request line and headers together; more is a 431.",
    )
    max_query_bytes: int = Field(
        default=2_048, ge=256, le=65_536, description="Longest query string; more is a 414."
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="Seconds a client may take to send a request's line and headers.",
    )
    keep_alive_timeout: int = Field(
        default=5,
        ge=1,
        le=3600,
        description="Seconds an idle keep-alive connection stays open after its last answer.",
    )
    body_timeout: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Seconds a client may take to send a request body; then a 408.",
    )
    shutdown_timeout: int = Field(
        default=10, ge=1, le=300, description="Seconds to drain requests on SIGTERM."
    )
    private_reads: bool = Field(
        default=False, description="When true, reads also need an API key (any scope)."
    )
    max_body_bytes: int = Field(
        default=10_000_000, ge=1_000, le=1_000_000_000, description="Largest request body."
    )
    write_rate_limit: int = Field(
        default=120, ge=1, le=1_000_000, description="Writes and imports per key per window."
    )
    address_rate_limit: int = Field(
        default=600, ge=1, le=1_000_000, description="Writes and imports per address per window."
    )
    rate_window_seconds: int = Field(
        default=60, ge=1, le=86_400, description="Length of a rate-limit window, seconds."
    )
    response_cache_bytes: int = Field(
        default=32_000_000,
        ge=0,
        le=10_000_000_000,
        description="Memory per process for answers remembered per ETag; 0 turns it off.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated origins allowed by CORS; none by default.",
    )

    @field_validator("database_url")
    @classmethod
    def _normalize_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("only sqlite:// and postgresql:// URLs are supported")
        return normalize_database_url(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def read_threads(self) -> int:
        """Threads that read lists. SQLite reads in this process, handing the GIL back and
        forth for every row: past one thread per CPU they only fight over it (one-series
        pages at 32 connections: 195-212 rps with five threads, 280-307 with two, on two
        CPUs). PostgreSQL's threads mostly wait on the network: one per connection."""
        if self.is_sqlite:
            return min(self.db_pool_size, os.cpu_count() or 1)
        return self.db_pool_size


@lru_cache
def get_settings() -> Settings:
    return Settings()
