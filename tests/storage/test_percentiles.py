"""Percentiles are nearest rank on both databases: the value at rank ceil(n * q) of the n values in order."""

import pytest
from sqlalchemy import Engine, literal, select, union_all
from sqlalchemy.types import Float

from storage import percentiles


def ranked(engine: Engine, rows: list[tuple[int, float | None]]) -> dict[int, dict[str, float | None]]:
    """Each group's percentiles, from SQL over ``rows`` of (group, value)."""
    table = union_all(*(select(literal(g).label("grp"), literal(v, Float).label("value")) for g, v in rows)).subquery()
    query = select(table.c.grp, *percentiles.columns(table.c.value, engine.dialect.name)).group_by(table.c.grp)
    with engine.connect() as connection:
        return {row["grp"]: percentiles.read(row) for row in connection.execute(query).mappings()}


def test_ten_values_give_the_fifth_eighth_and_ninth(engine: Engine) -> None:
    assert ranked(engine, [(1, float(v)) for v in (10, 1, 9, 2, 8, 3, 7, 4, 6, 5)]) == {
        1: {"median": 5.0, "p80": 8.0, "p90": 9.0}
    }


def test_one_value_is_every_percentile(engine: Engine) -> None:
    assert ranked(engine, [(1, 42.5)]) == {1: {"median": 42.5, "p80": 42.5, "p90": 42.5}}


@pytest.mark.parametrize(
    ("count", "expected"),
    [(3, (2, 3, 3)), (4, (2, 4, 4)), (5, (3, 4, 5)), (7, (4, 6, 7)), (20, (10, 16, 18)), (21, (11, 17, 19))],
)
def test_ranks_round_up(engine: Engine, count: int, expected: tuple[int, int, int]) -> None:
    figures = ranked(engine, [(1, float(v)) for v in range(1, count + 1)])[1]
    assert (figures["median"], figures["p80"], figures["p90"]) == expected


def test_groups_are_ranked_apart_and_missing_values_are_skipped(engine: Engine) -> None:
    rows: list[tuple[int, float | None]] = [(1, 1.0), (1, 100.0), (2, 7.0), (2, None), (2, 3.0), (2, 3.0)]
    assert ranked(engine, rows) == {
        1: {"median": 1.0, "p80": 100.0, "p90": 100.0},
        2: {"median": 3.0, "p80": 7.0, "p90": 7.0},
    }
