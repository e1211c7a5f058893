"""Nearest-rank percentiles in SQL on both databases.

PostgreSQL has ``percentile_disc``. SQLite has no percentile function, and ranking with a window function
(``cume_dist()``) made SQLite write and re-read every value: 0.8 s for the 250,000 outcomes of the whole org's 90
days. So each SQLite connection gets an aggregate, ``nearest_ranks(value)``, that keeps its group's values and
returns the value at each fraction's rank as a JSON list: one pass over the group, one sort of it in C.
"""

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func

# The fractions every percentile query returns, exactly (numerator, denominator): the value at rank
# ceil(n * numerator / denominator) of the n values in ascending order.
FRACTIONS: Mapping[str, tuple[int, int]] = {"median": (1, 2), "p80": (4, 5), "p90": (9, 10)}
SQLITE_FUNCTION = "nearest_ranks"


def columns(value: Any, dialect: str) -> list[ColumnElement[Any]]:
    """What to select for the percentiles of ``value`` in a grouped query; read the row back with ``read``."""
    if dialect == "postgresql":
        return [func.percentile_disc(n / d).within_group(value).label(name) for name, (n, d) in FRACTIONS.items()]
    return [getattr(func, SQLITE_FUNCTION)(value).label(SQLITE_FUNCTION)]


def read(row: Mapping[Any, Any]) -> dict[str, float | None]:
    """Each fraction's value from a row selected with ``columns``."""
    if SQLITE_FUNCTION in row:
        ranked = json.loads(row[SQLITE_FUNCTION]) if row[SQLITE_FUNCTION] else [None] * len(FRACTIONS)
        return dict(zip(FRACTIONS, ranked, strict=True))
    return {name: row[name] for name in FRACTIONS}


class NearestRanks:
    """The SQLite aggregate: values in, the value at each of ``FRACTIONS``' ranks out (JSON), NULLs skipped."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> str | None:
        if not self.values:
            return None
        ordered, count = sorted(self.values), len(self.values)
        return json.dumps([ordered[-(-count * n // d) - 1] for n, d in FRACTIONS.values()])


def register(dbapi_connection: Any, _record: Any = None) -> None:
    """Add ``nearest_ranks`` to a new SQLite connection (an engine's "connect" event)."""
    dbapi_connection.create_aggregate(SQLITE_FUNCTION, 1, NearestRanks)
