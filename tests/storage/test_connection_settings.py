"""What every connection of the engine is set up with, on each database."""

from sqlalchemy import Engine, text

from storage.db import is_sqlite


def test_every_connection_ranks_percentiles_and_postgresql_does_not_compile_queries(engine: Engine) -> None:
    with engine.connect() as connection:
        if is_sqlite(engine):
            # The aggregate storage/percentiles.py registers: SQLite has no percentile function of its own.
            assert connection.execute(text("SELECT nearest_ranks(1.5)")).scalar() == "[1.5, 1.5, 1.5]"
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            # JIT compiling cost the reports' short queries more than running them.
            assert connection.execute(text("SHOW jit")).scalar() == "off"
