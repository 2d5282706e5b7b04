"""runs.homepage_seen: how the homepage's entries were seen (its static HTML without a live
script, a browser rendering, or static HTML a script could change), so that veto.homepage_stale
judges only a homepage seen as a visitor sees it.

Existing rows keep NULL ("" when loaded: not recorded); the rule judges those as before.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "homepage_seen" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("runs")}:
        with op.batch_alter_table("runs") as batch:
            batch.add_column(sa.Column("homepage_seen", sa.String(16), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
