"""On SQLite the whole org's figures are read pair by pair in an index's order, not sorted to be grouped.

SQLite groups by sorting, and sorting a period's rows was most of a report's time at scale (benchmarks/README.md,
report_queries). These pin the plans of the statements the reports send, once the planner statistics are gathered
as the scheduler gathers them (``storage.planner_statistics``).
"""

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from storage import migrate, planner_statistics
from storage import reports as queries
from storage.db import make_engine
from storage.reports import CUSTOMER_RATES, PROVIDER_RATES, Scope

START = datetime(2026, 9, 7, tzinfo=UTC)
DEPARTMENTS = [f"d{i}" for i in range(8)]
WEEKS = 10


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Ten weeks of events, outcomes and ratings between eight departments, statistics gathered."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'inhouse.db'}")
    migrate.upgrade(engine)
    _fill(engine, random.Random(7))
    with engine.begin() as connection:
        planner_statistics.refresh(connection)
    yield engine
    engine.dispose()


def _fill(engine: Engine, rng: random.Random) -> None:
    events, outcomes, ratings = [], [], []
    for number in range(1, 4001):
        provider, customer = rng.sample(DEPARTMENTS, 2)
        at = (START + timedelta(minutes=rng.randrange(WEEKS * 7 * 24 * 60))).isoformat(" ")
        for kind in ("created", "resolved"):
            events.append((number, kind, "U1", at, provider, provider, customer))
        for metric in ("first_response", "resolution"):
            outcomes.append((number, metric, 0, provider, customer, "met", at, at, 30.0))
        rater = f"U{number % 50}"
        ratings.append((number, CUSTOMER_RATES, customer, provider, rater, 4, at, at))
        ratings.append((number, PROVIDER_RATES, provider, customer, rater, 4, at, at))
    raw = engine.raw_connection()  # rows only, no requests behind them: the foreign keys are not checked here
    try:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.executemany(
            "INSERT INTO request_event (request_id, kind, actor_id, at, provider_id, department_id, customer_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        raw.executemany(
            "INSERT INTO sla_outcome (request_id, metric, cycle, provider_id, customer_id, outcome, decided_at,"
            " done_at, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            outcomes,
        )
        raw.executemany(
            "INSERT INTO request_rating (request_id, direction, from_department_id, to_department_id, rater_id,"
            " score, asked_at, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ratings,
        )
        raw.commit()
    finally:
        raw.close()


def plans(engine: Engine, read: Callable[[Session], Any]) -> list[str]:
    """The plan of each statement ``read`` sends, a line per step."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with Session(engine) as session:
            read(session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        return [
            "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in sent
        ]


ORG_TWO_WEEKS = Scope(START + timedelta(weeks=4), START + timedelta(weeks=6))

# The pairs' times (ix_sla_outcome_pair_metric_done_at) are left out: over a few thousand outcomes the planner
# rightly sorts them instead; over a million it reads that index (benchmarks/report_queries.py --plans).
BY_PAIR = [
    ("events", lambda s: queries.events(s, ORG_TWO_WEEKS, by_pair=True), "ix_request_event_pair_at"),
    ("targets", lambda s: queries.targets(s, ORG_TWO_WEEKS, by_pair=True), "ix_sla_outcome_pair_decided_at"),
    (
        "requesters' ratings",
        lambda s: queries.ratings(s, ORG_TWO_WEEKS, CUSTOMER_RATES, 3, by_pair=True),
        "ix_request_rating_pair_rated_at",
    ),
    (
        "providers' ratings",
        lambda s: queries.ratings(s, ORG_TWO_WEEKS, PROVIDER_RATES, 3, by_pair=True),
        "ix_request_rating_pair_rated_at",  # the same pairs, grouped (from, to) in its (to, from) order
    ),
]


@pytest.mark.parametrize(("figures", "read", "index"), BY_PAIR, ids=[name for name, *_ in BY_PAIR])
def test_the_orgs_pairs_are_read_in_order_from_an_index_that_holds_them(
    history: Engine, figures: str, read: Callable[[Session], Any], index: str
) -> None:
    [plan] = plans(history, read)
    assert f"COVERING INDEX {index}" in plan, plan
    assert "TEMP B-TREE FOR GROUP BY" not in plan, plan


def test_the_orgs_times_are_read_metric_by_metric_for_the_total(history: Engine) -> None:
    [plan] = plans(history, lambda s: queries.durations(s, ORG_TWO_WEEKS, by_pair=False))
    assert "COVERING INDEX ix_sla_outcome_metric_done_at" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_one_departments_figures_are_read_from_its_stretch_of_an_index(history: Engine) -> None:
    one = Scope(ORG_TWO_WEEKS.start, ORG_TWO_WEEKS.end, provider="d1")
    for plan in plans(history, lambda s: queries.events(s, one, by_pair=True) | queries.targets(s, one, by_pair=True)):
        assert "USING COVERING INDEX" in plan, plan
        assert "=?" in plan, plan  # the department's own entries, not the whole index


def test_planner_statistics_are_gathered(history: Engine) -> None:
    with history.connect() as connection:
        analyzed = {name for (name,) in connection.exec_driver_sql("SELECT idx FROM sqlite_stat1")}
    assert {"ix_request_event_pair_at", "ix_sla_outcome_pair_decided_at", "ix_request_rating_rated_at"} <= analyzed
