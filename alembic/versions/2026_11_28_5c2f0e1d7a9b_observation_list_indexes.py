"""observation list indexes: current rows in list order, by series and by country

Revision ID: 5c2f0e1d7a9b
Revises: a35d96b283f3
Create Date: 2026-11-28 20:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "5c2f0e1d7a9b"
down_revision: str | None = "a35d96b283f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text("valid_to IS NULL")
INDEXES = {
    "ix_observations_current_series": ["indicator_key", "country", "period_start", "key"],
    "ix_observations_current_country": ["country", "indicator_key", "period_start", "key"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(
            name,
            "observations",
            columns,
            unique=False,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="observations")
