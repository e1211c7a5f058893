from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (the tables the models declare)
from storage import migrate


def test_the_migrations_build_exactly_the_tables_the_models_declare(engine: Engine) -> None:
    with engine.connect() as connection:
        include_object = migrate.on_this_database(connection.dialect.name)
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_migrated_database_is_at_the_latest_revision(engine: Engine) -> None:
    assert migrate.is_current(engine)
