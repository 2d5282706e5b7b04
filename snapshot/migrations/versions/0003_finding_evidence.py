"""findings.evidence: the screenshot of a finding, relative to the run's out dir (issue 8.6).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from snapshot.types import Txt

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "evidence" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("findings")}:
        with op.batch_alter_table("findings") as batch:
            batch.add_column(sa.Column("evidence", Txt(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
