"""funding measures, bounds and periods (issue 13)

Revision ID: d13f00d5a1b2
Revises: 5c2f0e1d7a9b
Create Date: 2026-12-01 08:00:00.000000
"""

from collections.abc import Sequence

revision: str = "d13f00d5a1b2"
down_revision: str | None = "5c2f0e1d7a9b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
