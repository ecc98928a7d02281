"""model registry: organizations, family rules, aliases; unclassified models (issue 12)

Revision ID: c12a0b1e2d3f
Revises: d13f00d5a1b2
Create Date: 2026-12-01 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from alembic import op

revision: str = "c12a0b1e2d3f"
down_revision: str | None = "d13f00d5a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _versioned_table(name: str, *columns: sa.Column[object]) -> None:
    """A record kind's table: provenance, its own columns, revision bookkeeping."""
    op.create_table(
        name,
        sa.Column("source_key", _string(200), nullable=False),
        sa.Column("source_location", _string(300), nullable=False),
        sa.Column("cited_source", _string(300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *columns,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _string(200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", _string(120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("key", "revision", name=op.f(f"uq_{name}_key_revision")),
    )
    op.create_index(f"ix_{name}_current", name, ["valid_to", "key"])
    op.create_index(op.f(f"ix_{name}_source_key"), name, ["source_key"])


def upgrade() -> None:
    _versioned_table(
        "organizations",
        sa.Column("name", _string(200), nullable=False),
        sa.Column("country", _string(2), nullable=False),
        sa.Column("labels", _string(1000), nullable=True),
    )
    op.create_index(op.f("ix_organizations_country"), "organizations", ["country"])
    _versioned_table(
        "model_families",
        sa.Column("pattern", _string(200), nullable=False),
        sa.Column("organization_key", _string(200), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
    )
    _versioned_table(
        "model_aliases",
        sa.Column("alias", _string(200), nullable=False),
        sa.Column("model_key", _string(200), nullable=False),
    )
    op.create_index(op.f("ix_model_aliases_model_key"), "model_aliases", ["model_key"])

    # Existing models were all placed by the report or a curator; existing scores are all
    # from the overall leaderboard. The defaults fill them, then go: the code sets both.
    with op.batch_alter_table("ai_models") as batch:
        batch.add_column(
            sa.Column("classification", sa.String(20), nullable=False, server_default="curated")
        )
        batch.add_column(sa.Column("family_rule", _string(200), nullable=True))
        batch.add_column(sa.Column("leaderboard_organization", _string(200), nullable=True))
        batch.alter_column("organization", existing_type=sa.VARCHAR(200), nullable=True)
        batch.alter_column("country", existing_type=sa.VARCHAR(8), nullable=True)
    with op.batch_alter_table("ai_models") as batch:
        batch.alter_column("classification", existing_type=sa.String(20), server_default=None)
    with op.batch_alter_table("arena_scores") as batch:
        batch.add_column(sa.Column("category", _string(40), nullable=False, server_default="full"))
    with op.batch_alter_table("arena_scores") as batch:
        batch.alter_column("category", existing_type=_string(40), server_default=None)


def downgrade() -> None:
    # Unclassified models have no organization or country, which the old schema requires.
    op.execute(
        "UPDATE ai_models SET organization = 'unclassified', country = 'ZZ' "
        "WHERE organization IS NULL OR country IS NULL"
    )
    with op.batch_alter_table("arena_scores") as batch:
        batch.drop_column("category")
    with op.batch_alter_table("ai_models") as batch:
        batch.alter_column("country", existing_type=sa.VARCHAR(8), nullable=False)
        batch.alter_column("organization", existing_type=sa.VARCHAR(200), nullable=False)
        batch.drop_column("leaderboard_organization")
        batch.drop_column("family_rule")
        batch.drop_column("classification")
    op.drop_index(op.f("ix_model_aliases_model_key"), table_name="model_aliases")
    for name in ("model_aliases", "model_families", "organizations"):
        if name == "organizations":
            op.drop_index(op.f("ix_organizations_country"), table_name=name)
        op.drop_index(op.f(f"ix_{name}_source_key"), table_name=name)
        op.drop_index(f"ix_{name}_current", table_name=name)
        op.drop_table(name)
