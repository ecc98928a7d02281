"""baseline schema

Revision ID: 3141a8cd84e7
Revises:
Create Date: 2026-11-28 13:10:04.734465
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from alembic import op

revision: str = "3141a8cd84e7"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "ai_models",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("organization", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("open_weights", sa.Boolean(), nullable=True),
        sa.Column("mmlu", sa.Float(), nullable=True),
        sa.Column("gpqa", sa.Float(), nullable=True),
        sa.Column("usd_per_m_input", sa.Float(), nullable=True),
        sa.Column("usd_per_m_output", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_models")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_ai_models_key_revision")),
    )
    with op.batch_alter_table("ai_models", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_models_country"), ["country"], unique=False)
        batch_op.create_index("ix_ai_models_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_models_source_key"), ["source_key"], unique=False)

    op.create_table(
        "arena_scores",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("model_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("ci_lower", sa.Float(), nullable=True),
        sa.Column("ci_upper", sa.Float(), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arena_scores")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_arena_scores_key_revision")),
    )
    with op.batch_alter_table("arena_scores", schema=None) as batch_op:
        batch_op.create_index("ix_arena_scores_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_arena_scores_model_key"), ["model_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_arena_scores_month"), ["month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_arena_scores_source_key"), ["source_key"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("pillar", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.String(length=30), nullable=True),
        sa.Column("probability_min", sa.Integer(), nullable=True),
        sa.Column("probability_max", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.String(length=10), nullable=True),
        sa.Column("favours", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_assessments_key_revision")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_pillar"), ["pillar"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_source_key"), ["source_key"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_kind"), ["kind"], unique=False)

    op.create_table(
        "data_centers",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("opened_year", sa.Integer(), nullable=True),
        sa.Column("hub", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("hub_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("planned_servers", sa.Integer(), nullable=False),
        sa.Column("planned_servers_qualifier", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_centers")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_data_centers_key_revision")),
    )
    with op.batch_alter_table("data_centers", schema=None) as batch_op:
        batch_op.create_index("ix_data_centers_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_centers_hub"), ["hub"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_data_centers_source_key"), ["source_key"], unique=False
        )

    op.create_table(
        "edwc_clusters",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("hub", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("hub_zh", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edwc_clusters")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_edwc_clusters_key_revision")),
    )
    with op.batch_alter_table("edwc_clusters", schema=None) as batch_op:
        batch_op.create_index("ix_edwc_clusters_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_edwc_clusters_hub"), ["hub"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_edwc_clusters_source_key"), ["source_key"], unique=False
        )

    op.create_table(
        "funding_records",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("program", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("amount_usd", sa.Float(), nullable=True),
        sa.Column("usd_converted", sa.Boolean(), nullable=False),
        sa.Column("fx_rate", sa.Float(), nullable=True),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overlaps_with", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("overlap_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_records")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_funding_records_key_revision")),
    )
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_records_country"), ["country"], unique=False)
        batch_op.create_index("ix_funding_records_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_funding_records_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_funding_records_source_key"), ["source_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_funding_records_status"), ["status"], unique=False)

    op.create_table(
        "indicators",
        sa.Column("pillar", sa.String(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("higher_is_better", sa.Boolean(), nullable=True),
        sa.Column("headline", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_indicators_key_revision")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index("ix_indicators_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicators_pillar"), ["pillar"], unique=False)

    op.create_table(
        "neurips_institutions",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("sector", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("papers", sa.Integer(), nullable=False),
        sa.Column("papers_qualifier", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_neurips_institutions")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_neurips_institutions_key_revision")),
    )
    with op.batch_alter_table("neurips_institutions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_neurips_institutions_country"), ["country"], unique=False
        )
        batch_op.create_index("ix_neurips_institutions_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_neurips_institutions_source_key"), ["source_key"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("indicator_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_max", sa.Float(), nullable=True),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_observations_key_revision")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_country"), ["country"], unique=False)
        batch_op.create_index("ix_observations_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_observations_indicator_key"), ["indicator_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observations_source_key"), ["source_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_observations_status"), ["status"], unique=False)

    op.create_table(
        "regulation_events",
        sa.Column("source_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("source_location", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cited_source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("jurisdiction", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("instrument", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=5), nullable=True),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulation_events")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_regulation_events_key_revision")),
    )
    with op.batch_alter_table("regulation_events", schema=None) as batch_op:
        batch_op.create_index("ix_regulation_events_current", ["valid_to", "key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_regulation_events_jurisdiction"), ["jurisdiction"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_regulation_events_source_key"), ["source_key"], unique=False
        )

    op.create_table(
        "sources",
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_sources_key_revision")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index("ix_sources_current", ["valid_to", "key"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index("ix_sources_current")

    op.drop_table("sources")
    with op.batch_alter_table("regulation_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regulation_events_source_key"))
        batch_op.drop_index(batch_op.f("ix_regulation_events_jurisdiction"))
        batch_op.drop_index("ix_regulation_events_current")

    op.drop_table("regulation_events")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_status"))
        batch_op.drop_index(batch_op.f("ix_observations_source_key"))
        batch_op.drop_index(batch_op.f("ix_observations_indicator_key"))
        batch_op.drop_index("ix_observations_current")
        batch_op.drop_index(batch_op.f("ix_observations_country"))

    op.drop_table("observations")
    with op.batch_alter_table("neurips_institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_neurips_institutions_source_key"))
        batch_op.drop_index("ix_neurips_institutions_current")
        batch_op.drop_index(batch_op.f("ix_neurips_institutions_country"))

    op.drop_table("neurips_institutions")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_pillar"))
        batch_op.drop_index("ix_indicators_current")

    op.drop_table("indicators")
    with op.batch_alter_table("funding_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_records_status"))
        batch_op.drop_index(batch_op.f("ix_funding_records_source_key"))
        batch_op.drop_index(batch_op.f("ix_funding_records_level"))
        batch_op.drop_index("ix_funding_records_current")
        batch_op.drop_index(batch_op.f("ix_funding_records_country"))

    op.drop_table("funding_records")
    with op.batch_alter_table("edwc_clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_edwc_clusters_source_key"))
        batch_op.drop_index(batch_op.f("ix_edwc_clusters_hub"))
        batch_op.drop_index("ix_edwc_clusters_current")

    op.drop_table("edwc_clusters")
    with op.batch_alter_table("data_centers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_centers_source_key"))
        batch_op.drop_index(batch_op.f("ix_data_centers_hub"))
        batch_op.drop_index("ix_data_centers_current")

    op.drop_table("data_centers")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_kind"))

    op.drop_table("changes")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_source_key"))
        batch_op.drop_index(batch_op.f("ix_assessments_pillar"))
        batch_op.drop_index("ix_assessments_current")

    op.drop_table("assessments")
    with op.batch_alter_table("arena_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arena_scores_source_key"))
        batch_op.drop_index(batch_op.f("ix_arena_scores_month"))
        batch_op.drop_index(batch_op.f("ix_arena_scores_model_key"))
        batch_op.drop_index("ix_arena_scores_current")

    op.drop_table("arena_scores")
    with op.batch_alter_table("ai_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_models_source_key"))
        batch_op.drop_index("ix_ai_models_current")
        batch_op.drop_index(batch_op.f("ix_ai_models_country"))

    op.drop_table("ai_models")
