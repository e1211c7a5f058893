"""How long one SLA sweep takes with 10,000 and with 1,000,000 stored requests, on SQLite and PostgreSQL.

The sweep reads only the requests whose ``next_check_at`` has come (an indexed column), so its cost should
follow what is due, not what is stored. Each size gets a fresh database (a SQLite file in a temporary
directory; a database in a throwaway PostgreSQL cluster), migrated, with the test org applied, and loaded
with N requests: 90% resolved, 10% open with clocks computed by the real code from the org's promises, and
the same 200 of them due at the sweep instant in every size, so every sweep does the same work and only
what is stored differs. One sweep in a session, commit included, is timed; the due state is then put
back and the sweep timed again. Prints the median per size and the ratio of the largest to the smallest.

    .venv/bin/python -m benchmarks.sla_sweep [--sizes 10000,1000000] [--databases sqlite,postgresql] [--repeat 5]

Exits 1 if a target is missed. benchmarks/README.md says how to read it.
"""

import argparse
import cProfile
import itertools
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import Engine, Table, bindparam, delete, event, func, select, text, update
from sqlalchemy.engine import make_url

from bot.agreements import clocks as sla_clocks
from bot.agreements.promises import Promise, promise_for
from bot.domain import alerts
from bot.domain.alerts import Level, Metric, Milestone
from bot.domain.lifecycle import State
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.sla.sweep import sweep
from storage import migrate, planner_statistics
from storage.db import make_engine, session_factory
from storage.models import Department, Outbox, Request, SlaAlert
from storage.types import UTCDateTime
from tests.fakes.postgres import PostgresCluster
from tests.orgs import TEST_ORG

Row = dict[str, Any]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 13:00 in Berlin: the test org's departments are at work
DUE = 200
OPEN_EVERY = 10  # one stored request in ten is open
CHUNK = 10_000
TEMPLATES = 600  # distinct clock histories the open and resolved rows are drawn from
TARGET_MS, TARGET_RATIO = 1000.0, 2.0
REQUESTS: Table = Request.__table__  # type: ignore[attr-defined]
ALERTS: Table = SlaAlert.__table__  # type: ignore[attr-defined]
OUTBOX: Table = Outbox.__table__  # type: ignore[attr-defined]
CHANNELS = {"it": "C0IT", "hr": "C0HR"}
CLOCK_COLUMNS = [
    *("provider_id", "priority", "state", "created_at", "updated_at", "first_response_at", "resolved_at"),
    *("waiting_since", "promise", "first_response_due", "resolution_due", "first_response_warn_at"),
    *("resolution_warn_at", "resolution_reminder_at", "first_response_target", "resolution_target"),
    *("first_response_left", "resolution_left", "next_check_at"),
]


# --- the stored requests: clocks computed by the real code ------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """The clock columns of one request and the milestones already raised by earlier sweeps."""

    columns: Row
    raised: tuple[Milestone, ...]


def clocked(promise: Promise, provider: str, priority: str, state: State, start: datetime) -> Request:
    """A request (not stored) filed at ``start``; acknowledged 20 minutes later unless still open."""
    request = Request(
        provider_id=provider,
        requester_id="",
        priority=priority,
        description="",
        state=str(state),
        promise=promise.to_dict(),
        created_at=start,
        updated_at=start,
    )
    sla_clocks.start(request, sla_clocks.METRICS, start)
    if state is not State.OPEN:
        request.first_response_at = request.updated_at = start + timedelta(minutes=20)
    if state is State.WAITING:
        request.waiting_since = request.updated_at = start + timedelta(hours=1)
        sla_clocks.pause(request, request.waiting_since)
    if state is State.RESOLVED:
        request.resolved_at = request.updated_at = start + timedelta(days=1)
    return request


def clock_of(request: Request, raised_by: datetime) -> Clock:
    clocks = sla_clocks.clocks(request)
    raised = tuple(m for m in alerts.milestones(clocks) if m.at <= raised_by)
    request.next_check_at = alerts.next_check(clocks, {(m.metric, m.level) for m in raised})
    return Clock({name: getattr(request, name) for name in CLOCK_COLUMNS}, raised)


def milestone_at(request: Request, metric: Metric, level: Level) -> datetime:
    (at,) = [m.at for m in alerts.milestones(sla_clocks.clocks(request)) if (m.metric, m.level) == (metric, level)]
    return at


Kind = tuple[str, str, State]  # provider, priority, state
DUE_KINDS: list[tuple[Kind, Metric, Level]] = [
    (("it", "normal", State.OPEN), Metric.FIRST_RESPONSE, Level.WARNING),  # a thread note
    (("it", "normal", State.OPEN), Metric.FIRST_RESPONSE, Level.WARNING),
    (("it", "urgent", State.OPEN), Metric.FIRST_RESPONSE, Level.BREACH),  # manager DM, thread, card refresh
    (("it", "normal", State.ACKNOWLEDGED), Metric.RESOLUTION, Level.WARNING),  # assignee DM, thread
    (("it", "normal", State.ACKNOWLEDGED), Metric.RESOLUTION, Level.REMINDER),  # managers and escalation DMs
]
OPEN_KINDS: dict[Kind, float] = {
    ("it", "normal", State.OPEN): 0.4,
    ("it", "urgent", State.OPEN): 0.1,
    ("it", "normal", State.ACKNOWLEDGED): 0.3,
    ("hr", "normal", State.ACKNOWLEDGED): 0.1,
    ("it", "normal", State.WAITING): 0.1,
}


def latest_start(promise: Promise, kind: Kind, metric: Metric, level: Level) -> datetime:
    """The latest filing instant (to the second) whose ``metric`` ``level`` milestone is reached by NOW."""
    lo, hi = 14 * 86_400, 0  # seconds before NOW: reached at lo, not at hi
    while lo - hi > 1:
        mid = (lo + hi) // 2
        request = clocked(promise, *kind, NOW - timedelta(seconds=mid))
        lo, hi = (mid, hi) if milestone_at(request, metric, level) <= NOW else (lo, mid)
    return NOW - timedelta(seconds=lo)


@dataclass(frozen=True)
class Clocks:
    due: list[Clock]
    open: list[Clock]
    resolved: list[Clock]


def make_clocks(promises: dict[tuple[str, str], Promise]) -> Clocks:
    """DUE clocks with a milestone in the last minute; open and resolved ones with nothing due."""
    rng = random.Random(3)
    due = []
    starts = {i: latest_start(promises[kind[:2]], kind, m, lvl) for i, (kind, m, lvl) in enumerate(DUE_KINDS)}
    for number in range(DUE):
        (kind, metric, level), index = DUE_KINDS[number % len(DUE_KINDS)], number % len(DUE_KINDS)
        request = clocked(promises[kind[:2]], *kind, starts[index] - timedelta(seconds=number % 60))
        assert NOW - timedelta(minutes=1) < milestone_at(request, metric, level) <= NOW
        due.append(clock_of(request, raised_by=NOW - timedelta(minutes=1)))
    kinds = rng.choices(list(OPEN_KINDS), weights=list(OPEN_KINDS.values()), k=TEMPLATES)
    ages = [timedelta(seconds=round(min(rng.expovariate(1 / 129_600), 30 * 86_400)) + 60) for _ in kinds]
    opened = [
        clock_of(clocked(promises[k[:2]], *k, NOW - age), raised_by=NOW) for k, age in zip(kinds, ages, strict=True)
    ]
    it = promises["it", "normal"]
    old = [NOW - timedelta(days=rng.uniform(2, 365)) for _ in range(TEMPLATES)]
    resolved = [clock_of(clocked(it, "it", "normal", State.RESOLVED, at), raised_by=NOW) for at in old]
    assert all(c.columns["next_check_at"] is None or c.columns["next_check_at"] > NOW for c in opened + resolved)
    return Clocks(due, opened, resolved)


def clock_for(number: int, clocks: Clocks, size: int) -> Clock:
    """Every tenth request is open; DUE of the open ones, spread over the ids, are due."""
    if number % OPEN_EVERY:
        return clocks.resolved[number * 7919 % len(clocks.resolved)]
    index, stride = number // OPEN_EVERY - 1, max(1, size // OPEN_EVERY // DUE)
    if index % stride == 0 and index // stride < DUE:
        return clocks.due[index // stride]
    return clocks.open[number * 7919 % len(clocks.open)]


def request_rows(size: int, clocks: Clocks) -> Iterator[Row]:
    for number in range(1, size + 1):
        clock = clock_for(number, clocks, size)
        yield {
            **clock.columns,
            "id": number,
            "requester_id": f"U{number % 5000:08d}",
            "requester_department_id": "sales",
            "description": f"#{number}: my laptop does not start since this morning's update",
            "needed_by": None,
            "assignee_id": None if clock.columns["state"] == State.OPEN else "U0ALICE",
            "resolution_note": "Reinstalled the driver" if clock.columns["state"] == State.RESOLVED else None,
            "sla_cycle": 0,
            "card_channel": CHANNELS[clock.columns["provider_id"]],
            "card_ts": f"{1_700_000_000 + number}.000100",
        }


def alert_rows(size: int, clocks: Clocks) -> Iterator[Row]:
    """The milestones earlier sweeps raised on the open requests: the sweep reads them for the due ones."""
    for number in range(OPEN_EVERY, size + 1, OPEN_EVERY):
        for m in clock_for(number, clocks, size).raised:
            metric, level = str(m.metric), str(m.level)
            yield {
                "request_id": number,
                "metric": metric,
                "level": level,
                "cycle": 0,
                "due_at": m.at,
                "raised_at": m.at,
            }


# --- loading ----------------------------------------------------------------------------------------------------


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def load(engine: Engine, table: Table, rows: Iterable[Row]) -> int:
    """SQLite: executemany in chunks of CHUNK; PostgreSQL: COPY."""
    count = 0
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            for chunk in chunks(rows):
                connection.execute(table.insert(), chunk)
                count += len(chunk)
        return count
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names = [column.name for column in table.columns if column.name in first]
    with engine.begin() as connection:  # commits the driver connection's transaction, COPY included
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in itertools.chain([first], iterator):
                copy.write_row([Json(row[n]) if isinstance(row[n], dict) else row[n] for n in names])
                count += 1
    return count


# --- the databases ----------------------------------------------------------------------------------------------

Fresh = Callable[[int], AbstractContextManager[Engine]]


@contextmanager
def sqlite_databases(workdir: Path) -> Iterator[Fresh]:
    @contextmanager
    def fresh(size: int) -> Iterator[Engine]:
        engine = make_engine(f"sqlite:///{workdir / f'sla-{size}.sqlite'}")
        try:
            yield engine
        finally:
            engine.dispose()
            for path in workdir.glob(f"sla-{size}.sqlite*"):
                path.unlink()

    yield fresh


@contextmanager
def postgres_databases() -> Iterator[Fresh]:
    cluster = PostgresCluster()
    try:
        url = cluster.start()
        server = make_engine(url)
        admin = server.execution_options(isolation_level="AUTOCOMMIT")

        @contextmanager
        def fresh(size: int) -> Iterator[Engine]:
            name = f"sla_{size}"
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
            engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
            try:
                yield engine
            finally:
                engine.dispose()
                with admin.connect() as connection:
                    connection.exec_driver_sql(f"DROP DATABASE {name}")

        yield fresh
        server.dispose()
    finally:
        cluster.stop()


# --- one size on one database -----------------------------------------------------------------------------------


def promises_of(engine: Engine) -> dict[tuple[str, str], Promise]:
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(TEST_ORG, "org"))
        found = {}
        for provider, priority in [("it", "normal"), ("it", "urgent"), ("hr", "normal")]:
            department = session.get(Department, provider)
            assert department is not None
            promise = promise_for(session, department, "sales", priority)
            assert promise is not None, f"the test org promises {provider} {priority} nothing"
            found[provider, priority] = promise
        return found


def fill(engine: Engine, size: int) -> tuple[float, float]:
    """Migrate, apply the org, load ``size`` requests and their raised alerts, settle: seconds to load, to settle."""
    migrate.upgrade(engine)
    clocks = make_clocks(promises_of(engine))
    started = time.perf_counter()
    load(engine, REQUESTS, request_rows(size, clocks))
    load(engine, ALERTS, alert_rows(size, clocks))
    loaded = time.perf_counter()
    settle(engine, size)
    return loaded - started, time.perf_counter() - loaded


def settle(engine: Engine, size: int) -> None:
    """Leave the database as a long-lived one is: statistics gathered as the product does, nothing left to flush or
    vacuum."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("SELECT setval(pg_get_serial_sequence('request', 'id'), :n)"), {"n": size})
            connection.exec_driver_sql("VACUUM ANALYZE")
            connection.exec_driver_sql("CHECKPOINT")
        return
    with engine.begin() as connection:
        planner_statistics.refresh(connection)  # as the scheduler gathers them: a sample of each index
    raw = engine.raw_connection()  # outside the BEGIN IMMEDIATE that make_engine starts every transaction with
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def plan(engine: Engine) -> list[str]:
    """The plan of the sweep's query (the same SELECT, written out): it should walk ix_request_next_check_at."""
    query = "SELECT * FROM request WHERE next_check_at <= :now ORDER BY next_check_at LIMIT 500"
    if engine.dialect.name == "postgresql":
        query = f"EXPLAIN (ANALYZE, BUFFERS) {query} FOR UPDATE SKIP LOCKED"
    else:
        query = f"EXPLAIN QUERY PLAN {query}"
    with engine.connect() as connection:
        rows = connection.execute(text(query).bindparams(bindparam("now", NOW, type_=UTCDateTime))).all()
        connection.rollback()
    return [str(row[-1]) for row in rows]


def reset(engine: Engine, due: list[tuple[int, datetime]], alerts_before: int) -> None:
    """Put the due state back: what the sweep wrote goes, the due requests are due again."""
    with engine.begin() as connection:
        connection.execute(delete(OUTBOX))
        connection.execute(delete(ALERTS).where(ALERTS.c.id > alerts_before))
        put_back = update(REQUESTS).where(REQUESTS.c.id == bindparam("due_id"))
        connection.execute(
            put_back.values(next_check_at=bindparam("due_at")), [{"due_id": number, "due_at": at} for number, at in due]
        )


@dataclass
class Stored:
    """One loaded database of one size, and its sweeps so far."""

    database: str
    size: int
    engine: Engine
    load_s: float
    settle_s: float
    open: int
    due: list[tuple[int, datetime]]  # the due requests and their next_check_at, to put back after a sweep
    alerts_before: int
    plan: list[str]
    timings: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process's CPU time: the SQLite engine, not PostgreSQL's
    outcomes: set[tuple[int, int, int]] = field(default_factory=set)  # (milestones, outbox rows, SQL statements)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings)

    @property
    def uses_index(self) -> bool:
        return any("ix_request_next_check_at" in line for line in self.plan)


def stored(database: str, engine: Engine, size: int) -> Stored:
    print(f"{database}: loading {size:,} requests...", file=sys.stderr, flush=True)
    load_s, settle_s = fill(engine, size)
    print(f"{database}: {size:,} loaded in {load_s:.1f} s, analyzed in {settle_s:.1f} s", file=sys.stderr, flush=True)
    due = select(REQUESTS.c.id, REQUESTS.c.next_check_at).where(REQUESTS.c.next_check_at <= NOW)
    steps = plan(engine)
    with engine.connect() as connection:
        return Stored(
            database,
            size,
            engine,
            load_s,
            settle_s,
            open=connection.execute(select(func.count()).where(REQUESTS.c.state != "resolved")).scalar_one(),
            due=[(row.id, row.next_check_at) for row in connection.execute(due)],
            alerts_before=connection.execute(select(func.coalesce(func.max(ALERTS.c.id), 0))).scalar_one(),
            plan=steps,
        )


def time_sweep(db: Stored, profile: bool = False) -> None:
    """One sweep in a session, commit included; then the due state is put back."""
    statements = itertools.count()

    def count(*_: Any) -> None:
        next(statements)

    profiler = cProfile.Profile() if profile else None
    event.listen(db.engine, "before_cursor_execute", count)
    started, cpu = time.perf_counter(), time.process_time()
    with session_factory(db.engine)() as session:
        result = profiler.runcall(sweep, session, NOW) if profiler else sweep(session, NOW)
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    event.remove(db.engine, "before_cursor_execute", count)
    reset(db.engine, db.due, db.alerts_before)
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        return
    db.timings.append(elapsed)
    db.cpu.append(cpu)
    db.outcomes.add((result.milestones, result.owed, next(statements)))


def run(database: str, fresh: Fresh, sizes: list[int], args: argparse.Namespace) -> list[Stored]:
    """Load every size, then sweep them in turns, so that the machine's noise hits all sizes alike."""
    with ExitStack() as stack:
        dbs = [stored(database, stack.enter_context(fresh(size)), size) for size in sizes]
        if args.plans:
            for db in dbs:
                print("\n".join([f"{database} {db.size:,}:", *(f"  {line}" for line in db.plan)]))
        print(f"{database}: sweeping each size {args.repeat} times", file=sys.stderr, flush=True)
        for _ in range(args.repeat):
            for db in dbs:
                time_sweep(db)
        if args.profile:
            time_sweep(dbs[-1], profile=True)
        for db in dbs:
            assert len(db.outcomes) == 1, f"{database} {db.size:,}: the sweeps did different work: {db.outcomes}"
        return dbs


# --- the report -------------------------------------------------------------------------------------------------


def report(results: list[Stored]) -> bool:
    print(f"{'database':<11}{'stored':>11}{'open':>9}{'due':>5}{'raised':>7}{'owed':>5}{'SQL':>6}", end="")
    print(f"{'load s':>8}{'analyze s':>10}{'first ms':>10}{'median ms':>11}{'cpu ms':>8}  index  sweeps (ms)")
    for r in results:
        ((milestones, owed, statements),) = r.outcomes
        print(
            f"{r.database:<11}{r.size:>11,}{r.open:>9,}{len(r.due):>5}{milestones:>7}{owed:>5}{statements:>6}"
            f"{r.load_s:>8.1f}{r.settle_s:>10.1f}{r.timings[0]:>10.1f}{r.median_ms:>11.1f}"
            f"{statistics.median(r.cpu):>8.0f}  {'yes' if r.uses_index else 'NO ':<5}"
            f"  {' '.join(f'{ms:.0f}' for ms in r.timings)}"
        )
    passed = True
    for database in dict.fromkeys(r.database for r in results):
        ran = [r for r in results if r.database == database]  # by size
        small, large = ran[0], ran[-1]
        ratio = large.median_ms / small.median_ms
        ok = large.median_ms < TARGET_MS and ratio < TARGET_RATIO
        passed &= ok
        print(
            f"{database}: {large.size:,} / {small.size:,} = {ratio:.2f}x; {large.size:,} sweep "
            f"{large.median_ms:.0f} ms (targets: < {TARGET_MS:.0f} ms, < {TARGET_RATIO:.0f}x): "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return passed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000", help="stored requests, comma-separated")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--repeat", type=int, default=5, help="sweeps timed per size (the median is reported)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one more sweep of the largest size")
    parser.add_argument("--plans", action="store_true", help="print the query plan of the sweep's SELECT")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    databases = args.databases.split(",")
    assert set(databases) <= {"sqlite", "postgresql"}, f"unknown database in {args.databases}"
    assert min(sizes) >= DUE * OPEN_EVERY, f"sizes start at {DUE * OPEN_EVERY} so that {DUE} requests can be due"
    results = []
    with tempfile.TemporaryDirectory(prefix="inhouse-sla-") as workdir:
        for database in databases:
            with sqlite_databases(Path(workdir)) if database == "sqlite" else postgres_databases() as fresh:
                results += run(database, fresh, sizes, args)
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
