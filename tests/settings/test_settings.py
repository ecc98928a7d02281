"""Settings: environment variables with the AIGAP_ prefix, validated, all documented."""

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from api import PROJECT_ROOT
from api.settings import Settings


def test_plain_postgresql_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGAP_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert Settings().database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGAP_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_defaults_are_an_embedded_sqlite_file_and_no_cors() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///./aigap.db"
    assert settings.cors_origins == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("AIGAP_PORT", "0"), ("AIGAP_DATABASE_URL", "mysql://x"), ("AIGAP_LOG_LEVEL", "loud")],
)
def test_nonsense_fails_fast(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = Path(PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"AIGAP_{name.upper()}" in readme, name


def test_sqlite_reads_use_at_most_a_thread_per_cpu_and_postgresql_one_per_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    sqlite = Settings(database_url="sqlite:///./x.db", db_pool_size=5)
    postgresql = Settings(database_url="postgresql://u@127.0.0.1:5432/x", db_pool_size=5)
    assert sqlite.read_threads == 2
    assert Settings(database_url="sqlite:///./x.db", db_pool_size=1).read_threads == 1
    assert postgresql.read_threads == 5
