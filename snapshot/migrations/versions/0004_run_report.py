"""runs.report: the site's line in its run's dashboard and 通报, stored by whichever process
audited the site (a `zwgk worker` in distributed mode), so that the run's reports are written
from the database alone (issue 10).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from snapshot.types import Json

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "report" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("runs")}:
        with op.batch_alter_table("runs") as batch:
            batch.add_column(sa.Column("report", Json(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
