"""The query planner's statistics on SQLite, which gathers them only when told (``ANALYZE``).

Reports rely on them: SQLite reads the pairs of an index in order by a skip-scan (storage/models.py) only when
the statistics show that a column has few values. Sampling a thousand rows of each index is enough to show that
and takes milliseconds at any size. PostgreSQL's autovacuum keeps its own statistics: nothing to do there.
"""

from sqlalchemy import Connection

ANALYSIS_LIMIT = 1000  # rows sampled per index


def refresh(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE")
