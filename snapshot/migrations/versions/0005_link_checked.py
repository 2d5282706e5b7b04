"""links.checked / links.carried and runs.link_cadence: when each link status was observed, and
which statuses the link check carried forward from an earlier night instead of asking again
(ZWGK_LINK_CADENCE_DAYS), so that the scorecard can say so (issue 10).

Existing rows keep NULL: when their statuses were observed is not known (a build before this one
may already have carried some), so none of them is carried forward again.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa

from snapshot.migrations.ops import add_columns, upgrade_only

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_COLUMNS = {
    "links": [("checked", sa.Date()), ("carried", sa.Boolean())],
    "runs": [("link_cadence", sa.Integer())],
}


def upgrade() -> None:
    add_columns(NEW_COLUMNS)


def downgrade() -> None:
    upgrade_only()
