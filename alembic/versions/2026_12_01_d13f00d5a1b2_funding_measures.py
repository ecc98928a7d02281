"""funding measures, bounds and periods (issue 13)

Funding records say what their amount measures, its range, the span to annualize over, the
source's confidence, how an overlap relates, where a conversion rate comes from and which
values are inferred; observations mark inferred values too; dated events get a table.

Revision ID: d13f00d5a1b2
Revises: 5c2f0e1d7a9b
Create Date: 2026-12-01 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from alembic import op

revision: str = "d13f00d5a1b2"
down_revision: str | None = "5c2f0e1d7a9b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows written before measures existed get the measure their level most often means; the
# seed loader then writes the report's own classification as a new revision.
BACKFILL_MEASURE = """
UPDATE funding_records SET measure = CASE level
    WHEN 'corporate_capex' THEN 'capex_plan'
    WHEN 'private_vc' THEN 'investment_flow'
    WHEN 'state_semiconductor_fund' THEN 'fund_size'
    ELSE 'period_spending'
END
"""


def upgrade() -> None:
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measure", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("amount_max", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("amount_usd_max", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("fx_rate_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )
        batch_op.add_column(sa.Column("annualize_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("annualize_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("confidence", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("overlap_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "inferred_fields", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )
    op.execute(BACKFILL_MEASURE)
    op.execute(
        "UPDATE funding_records SET overlap_kind = 'part_of' WHERE overlaps_with IS NOT NULL"
    )
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.alter_column("measure", existing_type=sa.String(length=30), nullable=False)
        batch_op.create_index(batch_op.f("ix_funding_records_measure"), ["measure"], unique=False)

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "inferred_fields", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )

    op.create_table(
        "timeline_events",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("pillar", sa.String(length=20), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=5), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("inferred_fields", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_events")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_timeline_events_key_revision")),
    )
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.create_index("ix_timeline_events_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_timeline_events_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_timeline_events_event_date"), ["event_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_timeline_events_pillar"), ["pillar"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_timeline_events_source_key"), ["source_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("timeline_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_events_source_key"))
        batch_op.drop_index(batch_op.f("ix_timeline_events_pillar"))
        batch_op.drop_index(batch_op.f("ix_timeline_events_event_date"))
        batch_op.drop_index(batch_op.f("ix_timeline_events_country"))
        batch_op.drop_index("ix_timeline_events_current")
    op.drop_table("timeline_events")

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("inferred_fields")

    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_records_measure"))
        batch_op.drop_column("inferred_fields")
        batch_op.drop_column("overlap_kind")
        batch_op.drop_column("confidence")
        batch_op.drop_column("annualize_end")
        batch_op.drop_column("annualize_start")
        batch_op.drop_column("fx_rate_source")
        batch_op.drop_column("amount_usd_max")
        batch_op.drop_column("amount_max")
        batch_op.drop_column("measure")
