"""runs.homepage_seen: how the homepage's entries were seen (its static HTML without a live
script, a browser rendering, or static HTML a script could change), so that veto.homepage_stale
judges only a homepage seen as a visitor sees it.

Existing rows keep NULL ("" when loaded: not recorded); the rule judges those as before.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa

from snapshot.migrations.ops import add_columns, upgrade_only

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_columns({"runs": [("homepage_seen", sa.String(16))]})


def downgrade() -> None:
    upgrade_only()
