"""documents.relations_unseen: the page showed a relation block (相关解读 / 原文 …) without a link
while a script could fill it after load, so interpretation.unlinked does not read its silence as
"not linked".

Existing rows keep NULL (False when loaded: judged as before).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa

from snapshot.migrations.ops import add_columns, upgrade_only

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_columns({"documents": [("relations_unseen", sa.Boolean())]})


def downgrade() -> None:
    upgrade_only()
