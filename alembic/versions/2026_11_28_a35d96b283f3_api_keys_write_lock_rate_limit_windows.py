"""api keys, write lock, rate limit windows

Revision ID: a35d96b283f3
Revises: 9776928fd86c
Create Date: 2026-11-28 13:58:23.685739
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from alembic import op

revision: str = "a35d96b283f3"
down_revision: str | None = "9776928fd86c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)

    op.create_table(
        "rate_limit_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_windows")),
        sa.UniqueConstraint(
            "bucket", "window_start", name=op.f("uq_rate_limit_windows_bucket_window_start")
        ),
    )
    write_lock = op.create_table(
        "write_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("writes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_write_lock")),
    )
    # The one row every write transaction updates first (see api.models.auth.WriteLock).
    op.bulk_insert(write_lock, [{"id": 1, "writes": 0}])


def downgrade() -> None:

    op.drop_table("write_lock")
    op.drop_table("rate_limit_windows")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_prefix"))

    op.drop_table("api_keys")
