"""Alembic environment: the schema is the store's MetaData; the connection comes from
snapshot.migrations (configured in code, no alembic.ini)."""
from alembic import context

from snapshot.store import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, compare_type=True,
    # SQLite cannot ALTER most things: migrations that must, copy the table (batch mode).
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
