"""model registry: organizations, family rules, aliases; unclassified models (issue 12)

Revision ID: c12a0b1e2d3f
Revises: d13f00d5a1b2
Create Date: 2026-12-01 08:00:00.000000
"""

from collections.abc import Sequence

revision: str = "c12a0b1e2d3f"
down_revision: str | None = "d13f00d5a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
