"""notify changes: PostgreSQL tells its listeners when the change log grows

The data version is the change log's newest id. A server process on PostgreSQL listens on
the channel `aigap_changes` (api/web/postgres_commits.py) and asks for the version again
only when a notification came (or a worker of its own host bumped the shared counter,
api/commit_counter.py), instead of asking on every request. One notification per
statement, sent when its transaction commits: a bulk import of 100,000 rows sends one.
SQLite has `PRAGMA data_version` and needs nothing.

Revision ID: a7c3e9f1d2b4
Revises: f5a8d2c4b6e1
Create Date: 2026-12-06 19:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a7c3e9f1d2b4"
down_revision: str | None = "f5a8d2c4b6e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "aigap_changes"


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION aigap_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER changes_notify AFTER INSERT ON changes "
        "FOR EACH STATEMENT EXECUTE FUNCTION aigap_notify_changes()"
    )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER changes_notify ON changes")
    op.execute("DROP FUNCTION aigap_notify_changes()")
