"""Readiness: the database answers and its schema is at the code's migration head."""

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from api import ALEMBIC_DIR


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str
    schema_revision: str | None
    expected_revision: str | None


def expected_head() -> str | None:
    # Imported here: alembic (with mako and pygments) is a fifth of the server's start-up,
    # and only readiness needs it, once.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def check_readiness(session: Session, head: str | None) -> Readiness:
    """Raises the driver's error when the database is unreachable."""
    dialect = session.get_bind().dialect.name
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    try:
        revision = session.exec(  # type: ignore[call-overload]
            text("SELECT version_num FROM alembic_version")
        ).scalar_one_or_none()
    except Exception:  # no alembic_version table: never migrated
        session.rollback()
        revision = None
    return Readiness(revision == head, dialect, revision, head)
