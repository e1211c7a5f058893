"""Alembic, driven from code: ``inhouse db upgrade`` and the start of ``inhouse run``."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def on_this_database(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for a database of ``dialect``: an index the models declare for another database
    only (``Index(...).ddl_if(dialect=...)``, which autogenerate does not read) is not expected on this one."""

    def include(item: Any, _name: str | None, _kind: str, _reflected: bool, _compare_to: Any) -> bool:
        only_on = getattr(item, "_ddl_if", None)  # SQLAlchemy keeps ddl_if's condition there
        return only_on is None or only_on.dialect in (None, dialect)

    return include


def upgrade(engine: Engine, revision: str = "heads") -> None:
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revise(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the models and the database (developers only)."""
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


def is_current(engine: Engine) -> bool:
    heads = set(ScriptDirectory.from_config(_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
