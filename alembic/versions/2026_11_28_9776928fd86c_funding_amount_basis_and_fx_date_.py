"""funding amount basis and fx date, headline assessments

Revision ID: 9776928fd86c
Revises: 3141a8cd84e7
Create Date: 2026-11-28 13:35:58.551851
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "9776928fd86c"
down_revision: str | None = "3141a8cd84e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("headline", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("amount_basis", sa.String(length=10), server_default="total", nullable=False)
        )
        batch_op.add_column(sa.Column("fx_rate_date", sa.Date(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.drop_column("fx_rate_date")
        batch_op.drop_column("amount_basis")

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("headline")
