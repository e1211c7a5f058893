"""Alembic environment: the connection comes from ``storage.migrate``, never from a config file."""

from alembic import context
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.migrate import on_this_database

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=on_this_database(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
