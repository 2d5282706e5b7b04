"""findings.evidence: the screenshot of a finding, relative to the run's out dir (issue 8.6).

Revision ID: 0003
Revises: 0002
"""
from snapshot.migrations.ops import add_columns, upgrade_only
from snapshot.types import Txt

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_columns({"findings": [("evidence", Txt())]})


def downgrade() -> None:
    upgrade_only()
