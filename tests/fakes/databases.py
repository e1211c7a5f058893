"""A throwaway database beside the test's, for migration tests that start from an empty schema."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from storage.db import make_engine


@contextmanager
def empty_database(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own beside the test's (on its server, for PostgreSQL), with no tables yet."""
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
        try:
            yield fresh
        finally:
            fresh.dispose()
        return
    name = f"before_{uuid.uuid4().hex[:12]}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    fresh = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield fresh
    finally:
        fresh.dispose()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE "{name}"'))
