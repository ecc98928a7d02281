"""Migrations are the schema: up, down, and no drift from the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from alembic import command
from api.cli import alembic_config
from api.db import engine_for
from api.services.kinds import KINDS
from tests.conftest import DatabaseFactory
from tests.live import migrate

# every record kind's table (api/services/kinds.py), and the service's own
TABLES = {registered.table for registered in KINDS} | {
    "api_keys",
    "changes",
    "rate_limit_windows",
    "write_lock",
}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(new_database: DatabaseFactory) -> None:
    with new_database() as url:
        engine = engine_for(url)
        migrate(url)
        assert _tables(engine) == TABLES
        command.downgrade(alembic_config(url), "base")
        assert _tables(engine) == set()
        migrate(url)
        assert _tables(engine) == TABLES
        engine.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_every_table_is_migrated(engine: Engine) -> None:
    assert set(SQLModel.metadata.tables) == TABLES
    assert _tables(engine) == TABLES
