"""documents.relations_unseen: the page showed a relation block (相关解读 / 原文 …) without a link
while a script could fill it after load, so interpretation.unlinked does not read its silence as
"not linked".

Existing rows keep NULL (False when loaded: judged as before).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "relations_unseen" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}:
        with op.batch_alter_table("documents") as batch:
            batch.add_column(sa.Column("relations_unseen", sa.Boolean(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
