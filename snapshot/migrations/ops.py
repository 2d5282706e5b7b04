"""Steps the migrations share. Columns are added only where missing: databases of interim builds
that already have some of them upgrade as well as those of a release."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_columns(new: dict[str, list[tuple[str, object]]]) -> None:
    """{table: [(column, type), …]}: each added, nullable (old rows load as the field's default)."""
    inspector = sa.inspect(op.get_bind())
    for table, cols in new.items():
        have = {c["name"] for c in inspector.get_columns(table)}
        missing = [(name, type_) for name, type_ in cols if name not in have]
        if missing:
            with op.batch_alter_table(table) as batch:
                for name, type_ in missing:
                    batch.add_column(sa.Column(name, type_, nullable=True))


def upgrade_only() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
