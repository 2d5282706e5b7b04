"""runs.report: the site's line in its run's dashboard and 通报, stored by whichever process
audited the site (a `zwgk worker` in distributed mode), so that the run's reports are written
from the database alone (issue 10).

Revision ID: 0004
Revises: 0003
"""
from snapshot.migrations.ops import add_columns, upgrade_only
from snapshot.types import Json

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_columns({"runs": [("report", Json())]})


def downgrade() -> None:
    upgrade_only()
