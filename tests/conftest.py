"""Fixtures shared by the storage and handler tests: a real database, SQLite and PostgreSQL both."""

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from storage import migrate
from storage.db import SessionScope, is_sqlite, make_engine, session_factory
from tests.fakes.clock import FixedClock
from tests.fakes.postgres import PostgresCluster

# Property tests: the same examples on every run (CI, `make test`); `make fuzz` draws new ones, many more.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, database=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Every storage and handler test runs once per database; INHOUSE_TEST_DATABASES=sqlite narrows a local run.
BACKENDS = os.environ.get("INHOUSE_TEST_DATABASES", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    cluster = PostgresCluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'inhouse.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _wipe(engine: Engine) -> None:
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if is_sqlite(engine):
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
        else:
            quoted = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    """A migrated, empty database (emptied before each test, so a failed test leaves no trace)."""
    _wipe(migrated_engine)
    return migrated_engine


@pytest.fixture
def session_scope(engine: Engine) -> SessionScope:
    return session_factory(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()
