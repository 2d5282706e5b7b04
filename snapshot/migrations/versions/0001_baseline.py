"""Baseline: the schema of zwgk 0.1 (the release before migrations), as its create_all made it.

A database made by that release has these tables and no alembic_version: it is stamped with this
revision and upgraded from here (snapshot.migrations.ensure_schema).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.Integer, primary_key=True)


def _run_id():
    return sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "runs", _id(),
        sa.Column("site_url", sa.Text, nullable=False),
        sa.Column("site_name", sa.Text),
        sa.Column("kind", sa.String(16)),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("as_of", sa.Date),
        sa.Column("pages", sa.Integer),
        sa.Column("cut_short", sa.Boolean),
        sa.Column("errors", sa.JSON),
        sa.Column("homepage_outcome", sa.String(32)),
        sa.Column("homepage_error", sa.Text),
        sa.Column("section_url", sa.Text),
        sa.Column("render", sa.String(16)),
        sa.Column("homepage_meta", sa.JSON),
        sa.Column("homepage_text", sa.Text),
        sa.Column("state", sa.String(16)),
    )
    op.create_table(
        "columns", _id(), _run_id(),
        sa.Column("parent_id", sa.Integer),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16)),
        sa.Column("error", sa.Text),
        sa.Column("pages", sa.Integer),
        sa.Column("rendered", sa.Boolean),
        sa.Column("is_page", sa.Boolean),
        sa.Column("has_children", sa.Boolean),
        sa.Column("empty_marker", sa.Boolean),
        sa.Column("partial", sa.Boolean),
        sa.Column("seq", sa.Integer),
        sa.Column("text", sa.Text),
        sa.UniqueConstraint("run_id", "url"),
    )
    op.create_table(
        "entries", _id(), _run_id(),
        sa.Column("column_id", sa.Integer),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("page", sa.Integer),
        sa.Column("position", sa.Integer),
        sa.Column("related", sa.JSON),
        sa.UniqueConstraint("run_id", "column_id", "url"),
    )
    op.create_table(
        "documents", _id(), _run_id(),
        sa.Column("column_id", sa.Integer),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("status", sa.String(32)),
        sa.Column("fields", sa.JSON),
        sa.Column("has_meta_block", sa.Boolean),
        sa.Column("meta", sa.JSON),
        sa.Column("interpretations", sa.JSON),
        sa.Column("policies", sa.JSON),
        sa.Column("attachments", sa.JSON),
        sa.Column("text_digest", sa.String(64)),
        sa.Column("text", sa.Text),
        sa.Column("tables", sa.JSON),
        sa.UniqueConstraint("run_id", "url"),
    )
    op.create_table(
        "links", _id(), _run_id(),
        sa.Column("from_url", sa.Text, nullable=False),
        sa.Column("to_url", sa.Text, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("kind", sa.String(16)),
        sa.Column("status", sa.String(32)),
    )
    op.create_index("ix_links_run_to", "links", ["run_id", "to_url"])
    op.create_table(
        "fetches", _id(), _run_id(),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("elapsed", sa.Float),
        sa.Column("rendered", sa.Boolean),
    )
    op.create_table(
        "attachments", _id(), _run_id(),
        sa.Column("document_url", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("status", sa.String(32)),
        sa.Column("kind", sa.String(16)),
        sa.Column("size", sa.Integer),
        sa.Column("text", sa.Text),
        sa.Column("tables", sa.JSON),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("run_id", "url"),
    )
    op.create_table(
        "probes", _id(),
        sa.Column("site_url", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("elapsed", sa.Float),
    )
    op.create_index("ix_probes_site_url", "probes", ["site_url"])
    op.create_table(
        "findings", _id(), _run_id(),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("column", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("target", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("status", sa.String(16)),
    )
    for table in ("columns", "entries", "documents", "links", "fetches", "attachments", "findings"):
        op.create_index(f"ix_{table}_run_id", table, ["run_id"])


def downgrade() -> None:
    for table in ("findings", "probes", "attachments", "fetches", "links", "documents", "entries",
                  "columns", "runs"):
        op.drop_table(table)
