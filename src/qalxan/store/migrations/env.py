"""Alembic environment: runs against the connection Qalxan hands it (see store/schema.py)."""

from __future__ import annotations

from alembic import context

from qalxan.store.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `qalxan init` / qalxan.store.schema")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
