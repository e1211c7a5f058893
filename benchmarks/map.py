"""How long the relationship map and its findings take over two years of an org's requests (1,000,000; 100,000 with
--quick) and 20 departments, on SQLite and PostgreSQL.

The org and the requests are ``benchmarks/report_queries.py``'s (its loader: the event log, each target's outcome,
the ratings, filed at a steady rate over 104 weeks); on top of them a closed check-up whose shares cover every pair
of departments and question, drawn at random, so that every kind of finding is judged. Then it times
``bot.relationships.service.build_map`` (the last 90 days: the map and its findings) in a read-only session scope as
``inhouse map`` and the map's DM run it, checks it against what was loaded, and times the picture once. Last, a
check-up's fan-out to 5,000 people: owing their DMs (due one a second), and a card owed after them, which must go
out next.

    .venv/bin/python -m benchmarks.map [--quick] [--databases sqlite,postgresql] [--repeat 5]

Exits 1 if a target is missed: the map and its findings in under 2 s, on each database.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from benchmarks.report_queries import FULL, IDS, NOW, QUICK, Database, Loaded, Requests, fill, make_histories, prepare
from benchmarks.sla_sweep import postgres_databases, sqlite_databases
from bot.checkups import outbound
from bot.checkups.service import Opened
from bot.domain.checkups import ASKED, CUSTOMER, Share
from bot.relationships.chart import map_chart
from bot.relationships.figures import RelationshipMap
from bot.relationships.service import DEFAULT_DAYS, build_map
from bot.reports.figures import Period
from bot.slack import outbox as owed
from bot.slack.message import Message
from storage import checkups, outbox
from storage.checkup_models import Checkup, CheckupSchedule
from storage.db import session_factory

TARGET_MS = 2000.0
RESPONDENTS = 12  # per department, in the check-up
FANOUT = 5_000  # people asked by a check-up


def declare(engine: Engine) -> int:
    """A check-up closed a week before NOW, with a share for every pair and question; how many shares."""
    rng = random.Random(13)
    shares = [
        Share(department, about, question, rng.choice((0.0, 0.25, 0.5, 0.75, 1.0)), RESPONDENTS)
        for department in IDS
        for about in IDS
        if about != department
        for question in [*(q.id for q in ASKED), CUSTOMER]
    ]
    with session_factory(engine)() as session:
        session.add(
            CheckupSchedule(id="checkup", cron="0 9 1 * *", timezone="Europe/Berlin", window="5d", calendar_id="office")
        )
        session.flush()
        opened = NOW - timedelta(days=14)
        checkup = Checkup(
            schedule_id="checkup",
            period_start=opened,
            opened_at=opened,
            closes_at=opened + timedelta(days=7),
            nudge_at=opened + timedelta(days=6),
            closed_at=opened + timedelta(days=7),
        )
        session.add(checkup)
        session.flush()
        assert checkup.id is not None
        checkups.keep_results(session, checkup.id, shares)
    return len(shares)


@dataclass(frozen=True)
class Fanout:
    owe_ms: float
    """Owing every DM, in the transaction that opens the check-up."""
    spread_s: float
    """From the first DM's due time to the last's."""
    claim_ms: float
    """A claim with them all pending and one due, then a card owed after them: what every send pays meanwhile."""
    card_first: bool


def fanout(engine: Engine) -> Fanout:
    """A check-up asking FANOUT people: the DMs owed at once, due one a second, and a card owed after them."""
    people = [f"U{n:07d}" for n in range(FANOUT)]
    opened = Opened(checkup_id=1, invitees=people, closes_at=NOW + timedelta(days=7))
    with session_factory(engine)() as session:
        started = time.perf_counter()
        outbound.opened(session, [opened], NOW)
        owe_ms = (time.perf_counter() - started) * 1000
    with session_factory(engine)() as session:
        card = owed.post("bench:card", "C0BENCH", Message(text="a card"))
        owed.owe(session, [card], NOW + timedelta(seconds=0.5))
    with session_factory(engine)() as session:
        rows = [r for r in outbox.by_status(session, outbox.PENDING) if r.key.startswith("checkup:")]
        spread_s = (max(r.deliver_after for r in rows) - min(r.deliver_after for r in rows)).total_seconds()
        started = time.perf_counter()
        first, second = (
            outbox.claim(session, NOW + timedelta(seconds=0.5), sender="bench", lease=timedelta(minutes=1))
            for _ in range(2)
        )
        claim_ms = (time.perf_counter() - started) * 1000 / 2
    keys = [claimed.row.key for claimed in (*first, *second)]
    return Fanout(owe_ms, spread_s, claim_ms, keys == [f"checkup:1:invite:{people[0]}", "bench:card"])


@dataclass
class Timed:
    database: str
    size: int
    loaded: Loaded
    load_s: float
    shares: int
    runs_ms: list[float] = field(default_factory=list)
    picture_ms: float = 0.0
    fanout: Fanout | None = None
    drawn: RelationshipMap | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms[1:])  # the first run warms up

    @property
    def passed(self) -> bool:
        return self.median_ms < TARGET_MS and not self.problems


def timed_map(engine: Engine) -> tuple[float, RelationshipMap]:
    started = time.perf_counter()
    with session_factory(engine, read_only=True)() as session:
        drawn = build_map(session, NOW, DEFAULT_DAYS)
    return (time.perf_counter() - started) * 1000, drawn


def plausible(drawn: RelationshipMap, loaded: Loaded) -> list[str]:
    """Every request of the period with a known customer is on an edge; every department is there."""
    filed = loaded.filed_in(Period(drawn.start, drawn.end, ""), None)
    on_edges = sum(edge.requests for edge in drawn.edges)
    problems = []
    if not 0.95 * filed <= on_edges <= filed:
        problems.append(f"{on_edges:,} requests on edges, {filed:,} filed in the period")
    if len(drawn.departments) != len(IDS):
        problems.append(f"{len(drawn.departments)} departments, {len(IDS)} in the org")
    return problems


def run(db: Database, loaded: Loaded, size: int, repeat: int) -> Timed:
    timed = Timed(db.name, size, loaded, db.load_s, declare(db.engine))
    print(f"{db.name}: timing", file=sys.stderr, flush=True)
    for _ in range(repeat + 1):
        ms, timed.drawn = timed_map(db.engine)
        timed.runs_ms.append(ms)
    assert timed.drawn is not None
    started = time.perf_counter()
    map_chart(timed.drawn)
    timed.picture_ms = (time.perf_counter() - started) * 1000
    timed.problems = plausible(timed.drawn, loaded)
    timed.fanout = fanout(db.engine)
    if not timed.fanout.card_first:
        timed.problems.append("a card owed after the check-up's DMs waited behind them")
    return timed


def report(results: list[Timed], repeat: int) -> bool:
    print(f"{'database':<11}{'requests':>11}{'load s':>8}{'edges':>7}{'findings':>9}  by kind")
    for t in results:
        assert t.drawn is not None
        kinds = Counter(f.kind for f in t.drawn.findings)
        print(
            f"{t.database:<11}{t.size:>11,}{t.load_s:>8.0f}{len(t.drawn.edges):>7}{len(t.drawn.findings):>9}  "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        )
    print(f"\n{'database':<11}{'first ms':>9}{'median ms':>10}  target    picture ms  runs after the first (ms)")
    for t in results:
        runs = " ".join(f"{ms:.0f}" for ms in t.runs_ms[1:])
        print(
            f"{t.database:<11}{t.runs_ms[0]:>9.0f}{t.median_ms:>10.1f}  < {TARGET_MS:<6.0f}"
            f"{t.picture_ms:>12.0f}  {runs}"
        )
    print(
        f"\n{'database':<11}{'DMs':>7}{'owe ms':>8}{'due over':>10}{'claim ms':>10}  a card owed after them goes next"
    )
    for t in results:
        assert t.fanout is not None
        f = t.fanout
        goes = "yes" if f.card_first else "NO"
        print(f"{t.database:<11}{FANOUT:>7,}{f.owe_ms:>8.0f}{f.spread_s / 60:>8.0f} m{f.claim_ms:>10.1f}  {goes}")
    print()
    passed = True
    for t in results:
        verdict = "PASS" if t.passed else "MISS"
        print(
            f"{t.database}: map and findings, {t.size:,} requests: median of {repeat} {t.median_ms:.0f} ms "
            f"(< {TARGET_MS:.0f} ms): {verdict}"
        )
        for problem in t.problems:
            print(f"  implausible: {problem}")
        passed &= t.passed
    return passed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} requests instead of {FULL:,}")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after one warm-up")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    databases = args.databases.split(",")
    assert set(databases) <= {"sqlite", "postgresql"}, f"unknown database in {args.databases}"
    requests = Requests(QUICK if args.quick else FULL, make_histories())
    with tempfile.TemporaryDirectory(prefix="inhouse-map-") as workdir, ExitStack() as stack:
        prepared = []
        for name in databases:
            fresh = stack.enter_context(sqlite_databases(Path(workdir)) if name == "sqlite" else postgres_databases())
            prepared.append(prepare(name, stack.enter_context(fresh(requests.size))))
        loaded, _generating = fill(prepared, requests)
        results = [run(db, loaded, requests.size, args.repeat) for db in prepared]
    return 0 if report(results, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
