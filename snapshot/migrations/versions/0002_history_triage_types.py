"""History, triage and column evidence (issues 7, 8); real types on PostgreSQL.

- runs: batch, score, verdict, site_status; columns: evidence; findings: fingerprint (indexed),
  locus, first_seen, consecutive; new tables sites and triage.
- PostgreSQL: JSON becomes JSONB, timestamps become TIMESTAMP WITH TIME ZONE (stored naive values
  were China Standard Time), keys and sizes become BIGINT. SQLite's declared types do not change.

Columns are added only where missing: databases of the interim builds that added some of them
by hand upgrade as well as those of the previous release.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from snapshot.migrations.ops import add_columns
from snapshot.types import Id, Moment, Str, Txt

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_COLUMNS = {
    "runs": [("batch", Txt()), ("score", sa.Float()), ("verdict", Str(16)),
             ("site_status", Str(16))],
    "columns": [("evidence", Str(16))],
    "findings": [("fingerprint", Str(40)), ("locus", Txt()), ("first_seen", sa.Date()),
                 ("consecutive", sa.Integer())],
}
# PostgreSQL type changes of the baseline's columns.
JSON_COLUMNS = {"runs": ["errors", "homepage_meta"], "entries": ["related"],
                "documents": ["fields", "meta", "interpretations", "policies", "attachments",
                              "tables"],
                "attachments": ["tables"]}
TIME_COLUMNS = {"runs": ["started", "finished"], "probes": ["at"]}
BIG_COLUMNS = {"runs": ["id"], "columns": ["id", "run_id", "parent_id"],
               "entries": ["id", "run_id", "column_id"], "documents": ["id", "run_id", "column_id"],
               "links": ["id", "run_id"], "fetches": ["id", "run_id"],
               "attachments": ["id", "run_id", "size"], "probes": ["id"],
               "findings": ["id", "run_id"]}


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    tables = set(inspector.get_table_names())
    add_columns(NEW_COLUMNS)
    if "ix_findings_fingerprint" not in {i["name"] for i in inspector.get_indexes("findings")}:
        op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])

    if "sites" not in tables:
        op.create_table(
            "sites",
            sa.Column("url", Txt(), primary_key=True),
            sa.Column("name", Txt()),
            sa.Column("kind", Str(16)),
            sa.Column("group", Txt()),
            sa.Column("ident", Txt()),
            sa.Column("host_org", Txt()),
            sa.Column("updated", Moment()),
        )
    if "triage" not in tables:
        op.create_table(
            "triage",
            sa.Column("id", Id, primary_key=True),
            sa.Column("fingerprint", Str(40), nullable=False),
            sa.Column("site_url", Txt()),
            sa.Column("decision", Str(16), nullable=False),
            sa.Column("reason", Txt()),
            sa.Column("by", Txt()),
            sa.Column("at", Moment(), nullable=False),
            sa.Column("valid_from", sa.Date()),
            sa.Column("valid_to", sa.Date()),
            sa.Column("cleared", Moment()),
            sa.Column("cleared_by", Txt()),
        )
        op.create_index("ix_triage_fingerprint", "triage", ["fingerprint"])

    if bind.dialect.name == "postgresql":
        _postgresql_types(inspector)


def _postgresql_types(inspector) -> None:
    for table, names in BIG_COLUMNS.items():
        types = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for name in names:
            if not isinstance(types[name], sa.BigInteger):
                op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE BIGINT')
        if "id" in names:   # the serial's sequence was made AS integer: let it run past 2**31
            op.execute(f"ALTER SEQUENCE IF EXISTS {table}_id_seq AS BIGINT")
    from sqlalchemy.dialects.postgresql import JSONB
    for table, names in JSON_COLUMNS.items():
        types = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for name in names:
            if isinstance(types[name], JSONB):
                continue
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE JSONB '
                       f'USING "{name}"::jsonb')
    for table, names in TIME_COLUMNS.items():
        types = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for name in names:
            if getattr(types[name], "timezone", False):
                continue
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE TIMESTAMP WITH TIME ZONE '
                       f"USING \"{name}\" AT TIME ZONE 'Asia/Shanghai'")


def downgrade() -> None:
    raise NotImplementedError("zwgk databases are upgraded only; restore a backup to go back")
