"""links.checked / links.carried and runs.link_cadence: when each link status was observed, and
which statuses the link check carried forward from an earlier night instead of asking again
(ZWGK_LINK_CADENCE_DAYS), so that the scorecard can say so (issue 10).

Existing rows keep NULL: when their statuses were observed is not known (a build before this one
may already have carried some), so none of them is carried forward again.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_COLUMNS = {
    "links": [("checked", sa.Date()), ("carried", sa.Boolean())],
    "runs": [("link_cadence", sa.Integer())],
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, cols in NEW_COLUMNS.items():
        have = {c["name"] for c in inspector.get_columns(table)}
        missing = [(name, type_) for name, type_ in cols if name not in have]
        if missing:
            with op.batch_alter_table(table) as batch:
                for name, type_ in missing:
                    batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
