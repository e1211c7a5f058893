"""1,000 SLA breaches at once: does every breach DM reach its managers within a minute of the due time?

A generated org (``--departments`` providers of unequal size, ``--managers`` managers each, a Sales department
as the customer) and ``--breaches`` open requests, their clocks computed by the real code (the helpers of
``benchmarks/sla_sweep.py``), all due in the same second: first-response breaches of open requests and resolution
breaches of ones in progress, normal and urgent, each with its card in its provider's channel (seeded in the fake
Slack, so that the card refresh finds it) and the warnings earlier sweeps raised. Then what the scheduler runs:
the real sweep and a drain on the tick's thread (``bot.jobs.scheduled.sla_tick``), next to the sender's own
loop (``Sender.run`` with ``--threads`` threads, as ``bot.jobs.scheduler.delivering`` starts it), against the
fake Slack in a process of its own (``benchmarks/slack_process.py`` explains why), answering in
``--slack-latency-ms`` and pacing chat.postMessage per conversation as Slack does (a short burst, then about one
post a second; over it 429 with Retry-After). The sweep runs at the due instant: the scheduler's tick
(every 60 s) can add up to a minute before it, which this benchmark leaves out (``--tick-lag`` puts it in).

    .venv/bin/python -m benchmarks.breach_burst [--breaches 1000] [--departments 8] [--managers 2] [--threads 8]
        [--slack-latency-ms 100] [--pace 1] [--burst 3] [--postgres] [--profile]

Prints how many breach DMs went out, the seconds from each breach's due time to its DM's arrival at the fake
(median, p95, max), how long the channel notes took to drain, and whether every DM arrived exactly once.
Exits 1 if a breach DM took longer than ``--target-s`` (60) or did not arrive exactly once, or a row died.
benchmarks/README.md says how to read it.
"""

import argparse
import cProfile
import multiprocessing
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import SecretStr
from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from benchmarks.sla_sweep import ALERTS, NOW, REQUESTS, Kind, clock_of, clocked, latest_start
from bot.agreements.promises import Promise, promise_for
from bot.config import Settings
from bot.domain.alerts import Level, Metric
from bot.domain.lifecycle import State
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.outbox_kinds import all_kinds
from bot.sla.sweep import CARD, DM, THREAD, sweep
from bot.slack.client import sender_client
from bot.slack.sender import CALL_TIMEOUT_S, Sender
from storage import migrate
from storage import outbox as outbox_store
from storage.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, session_factory
from storage.models import Department, Outbox
from storage.sqlite_writers import writer_turns
from tests.fakes.postgres import PostgresCluster
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, FakeSlack, Pace

TOKEN = "xoxb-breach-burst"
TARGET_S = 60.0
KINDS: dict[tuple[str, State, Metric], float] = {  # priority, state, the clock that breaches: share of the breaches
    ("normal", State.OPEN, Metric.FIRST_RESPONSE): 0.4,
    ("urgent", State.OPEN, Metric.FIRST_RESPONSE): 0.2,
    ("normal", State.ACKNOWLEDGED, Metric.RESOLUTION): 0.3,
    ("urgent", State.ACKNOWLEDGED, Metric.RESOLUTION): 0.1,
}
T = TypeVar("T")


# --- the org and the requests ------------------------------------------------------------------------------------


def department_ids(count: int) -> list[str]:
    return [f"d{number:02d}" for number in range(1, count + 1)]


def managers_of(department: str, count: int) -> list[str]:
    return [f"U0M{department[1:].upper()}{chr(ord('A') + index)}" for index in range(count)]


def members_of(department: str) -> list[str]:
    return [f"U0{department.upper()}A", f"U0{department.upper()}B"]


def channel_of(department: str) -> str:
    return f"C0{department.upper()}"


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def org_text(departments: int, managers: int) -> str:
    """An org file: ``departments`` providers with their own channel and managers, and Sales, their customer."""
    lines = [
        "[organization]",
        'timezone = "Europe/Berlin"',
        "",
        "[calendars.office]",
        'days = "mon-fri"',
        'hours = "09:00-17:00"',
        'holidays = "DE"',
        "",
        "[departments.sales]",
        'name = "Sales"',
        'channel = "C0SALES"',
        'managers = ["U0SALESMGR"]',
        'members = ["U0SAM", "U0SARA"]',
        'calendar = "office"',
    ]
    for department in department_ids(departments):
        lines += [
            "",
            f"[departments.{department}]",
            f'name = "Department {department[1:]}"',
            f'channel = "{channel_of(department)}"',
            f"managers = [{quoted(managers_of(department, managers))}]",
            f"members = [{quoted(members_of(department))}]",
            'calendar = "office"',
        ]
    for department in department_ids(departments):
        lines += ["", "[[agreements]]", f'provider = "{department}"', 'customer = "*"']
        lines += ['first_response = "4h"', 'resolution = "2d"']
        lines += ["", "[[agreements]]", f'provider = "{department}"', 'customer = "*"', 'priority = "urgent"']
        lines += ['first_response = "30m"', 'resolution = "4h"']
    return "\n".join(lines) + "\n"


def shares(total: int, departments: list[str]) -> dict[str, int]:
    """Unequal departments, as in a real org: the n-th gets a share proportional to 1/n (8: 37%, 18%, ... 5%)."""
    weights = [1 / rank for rank in range(1, len(departments) + 1)]
    counts = [int(total * w / sum(weights)) for w in weights]
    counts[0] += total - sum(counts)
    return dict(zip(departments, counts, strict=True))


@dataclass(frozen=True)
class Planned:
    """One request to store: its provider, its clock columns and the milestones already raised."""

    provider: str
    assignee: str | None
    columns: dict[str, Any]
    raised: tuple[Any, ...]


def plan_requests(session: Session, breaches: int, departments: list[str], seed: int = 7) -> list[Planned]:
    """``breaches`` requests whose breach milestone comes in the second before NOW, interleaved across providers."""
    rng = random.Random(seed)
    planned: list[Planned] = []
    promises: dict[tuple[str, str], Promise] = {}
    starts: dict[tuple[str, str, State, Metric], datetime] = {}
    for department, count in shares(breaches, departments).items():
        provider = session.get(Department, department)
        assert provider is not None
        kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=count)
        for priority, state, metric in kinds:
            if (department, priority) not in promises:
                promise = promise_for(session, provider, "sales", priority)
                assert promise is not None, f"the generated org promises {department} {priority} nothing"
                promises[department, priority] = promise
            promise = promises[department, priority]
            kind: Kind = (department, priority, state)
            if (*kind, metric) not in starts:
                starts[(*kind, metric)] = latest_start(promise, kind, metric, Level.BREACH)
            request = clocked(promise, department, priority, state, starts[(*kind, metric)])
            clock = clock_of(request, raised_by=NOW - timedelta(minutes=1))
            assignee = None if state is State.OPEN else rng.choice(members_of(department))
            planned.append(Planned(department, assignee, clock.columns, clock.raised))
    rng.shuffle(planned)
    return planned


def store(engine: Engine, planned: list[Planned], cards: list[str]) -> None:
    requests, alerts = [], []
    for number, (request, card_ts) in enumerate(zip(planned, cards, strict=True), start=1):
        requests.append(
            {
                **request.columns,
                "id": number,
                "requester_id": f"U0S{number % 200:04d}",
                "requester_department_id": "sales",
                "description": f"#{number}: the VPN drops every ten minutes since Friday",
                "needed_by": None,
                "assignee_id": request.assignee,
                "resolution_note": None,
                "sla_cycle": 0,
                "card_channel": channel_of(request.provider),
                "card_ts": card_ts,
            }
        )
        alerts += [
            {"request_id": number, "metric": str(m.metric), "level": str(m.level), "cycle": 0}
            | {"due_at": m.at, "raised_at": m.at}
            for m in request.raised
        ]
    with engine.begin() as connection:
        connection.execute(REQUESTS.insert(), requests)
        if alerts:
            connection.execute(ALERTS.insert(), alerts)
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(pg_get_serial_sequence('request', 'id'), :n)"), {"n": len(planned)})


# --- the fake Slack in its own process ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A call the fake answered, in plain values: when it arrived (the fake's monotonic clock), how it went."""

    method: str
    at: float
    status: int
    ok: bool
    channel: str
    thread_ts: str | None
    keys: tuple[str, ...]  # the outbox keys a post carries in its metadata


class BurstSlack:
    """Lives in the manager's process: a FakeSlack with the post pace, answering in picklable values."""

    def __init__(self, token: str, latency: float, per_second: float, burst: int) -> None:
        pace = Pace(per_second=per_second, burst=burst) if per_second > 0 else None
        self._fake = FakeSlack(token=token, latency=latency, post_pace=pace).start()

    def base_url(self) -> str:
        return self._fake.base_url

    def seed_cards(self, channels: list[str]) -> list[str]:
        """A card posted by the bot in each channel (in order): the ts of each."""
        return [self._fake.seed_message(c, "request card", user=BOT_USER_ID, bot_id=BOT_ID) for c in channels]

    def seen(self) -> list[tuple[Any, ...]]:
        """Every call as the fields of a Seen (a tuple: a class of this module pickles badly across processes)."""
        found = []
        for call in self._fake.calls:
            metadata = call.args.get("metadata")
            payload = (metadata.get("event_payload") or {}) if isinstance(metadata, dict) else {}
            ok = call.status == 200 and isinstance(call.response, dict) and bool(call.response.get("ok"))
            thread_ts = call.args.get("thread_ts")
            channel = str(call.args.get("channel") or "")
            found.append((call.method, call.at, call.status, ok, channel, str(thread_ts) if thread_ts else None,
                          tuple(payload.get("outbox_keys") or [])))  # fmt: skip
        return found

    def stop(self) -> None:
        self._fake.stop()


class _Manager(BaseManager):
    pass


_Manager.register("BurstSlack", BurstSlack)


@contextmanager
def slack_process(latency: float, per_second: float, burst: int) -> Iterator[Any]:
    manager = _Manager(ctx=multiprocessing.get_context("spawn"))
    manager.start()
    try:
        service: Any = manager.BurstSlack(TOKEN, latency, per_second, burst)  # type: ignore[attr-defined]
        try:
            yield service
        finally:
            service.stop()
    finally:
        manager.shutdown()


# --- the databases -------------------------------------------------------------------------------------------------


@contextmanager
def database(postgres: bool, workdir: Path) -> Iterator[Engine]:
    if not postgres:
        engine = make_engine(f"sqlite:///{workdir / 'burst.sqlite'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    cluster = PostgresCluster()
    try:
        engine = make_engine(cluster.start())
        try:
            yield engine
        finally:
            engine.dispose()
    finally:
        cluster.stop()


# --- timing the sender's steps ------------------------------------------------------------------------------------


@dataclass
class Phases:
    """Wall time each part of the sender's steps took, over all threads (seconds per call)."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, name: str, function: Callable[..., T]) -> Callable[..., T]:
        def run(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.times[name].append(elapsed)

        return run

    def scope(self, name: str, scope: Callable[[], AbstractContextManager[Session]]) -> Callable[[], Any]:
        @contextmanager
        def timed_scope() -> Iterator[Session]:
            started = time.perf_counter()
            try:
                with scope() as session:
                    yield session
            finally:
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.times[name].append(elapsed)

        return timed_scope

    def lines(self) -> list[str]:
        lines = []
        for name, times in self.times.items():
            ms = sorted(t * 1000 for t in times)
            lines.append(
                f"  {name:<22}{len(ms):>7}{statistics.median(ms):>9.1f}{percentile(ms, 95):>9.1f}"
                f"{ms[-1]:>9.1f}{sum(ms) / 1000:>9.1f}"
            )
        return [f"  {'sender phase':<22}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'total s':>9}", *lines]


def instrument(sender: Sender, phases: Phases) -> None:
    """Time the sender's phases (a claim includes its wait for SQLite's writer lock; a scope, its commit)."""
    sender.session_scope = phases.scope("write transaction", sender.session_scope)
    sender.read_scope = phases.scope("read transaction", sender.read_scope)
    sender.step = phases.timed("step", sender.step)  # type: ignore[method-assign]
    sender._render = phases.timed("render", sender._render)  # type: ignore[method-assign]
    sender._send = phases.timed("send (Slack call)", sender._send)  # type: ignore[method-assign]
    sender._settle = phases.timed("settle", sender._settle)  # type: ignore[method-assign]
    sender._already_posted = phases.timed("look in Slack first", sender._already_posted)  # type: ignore[method-assign]
    claim = outbox_store.claim
    outbox_store.claim = phases.timed("claim (query)", claim)  # the module the sender calls it from


def instrument_turns(engine: Engine, phases: Phases) -> None:
    """On SQLite: how long writers wait for their turn at the one write lock, and how long they hold it."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        return
    turns = writer_turns(database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    take = turns.turn

    @contextmanager
    def turn() -> Iterator[None]:
        asked = time.perf_counter()
        with take():
            got = time.perf_counter()
            try:
                yield
            finally:
                with phases.lock:
                    phases.times["writer turn: wait"].append(got - asked)
                    phases.times["writer turn: held"].append(time.perf_counter() - got)

    turns.turn = turn  # type: ignore[method-assign]


def profiled(sender: Sender, profiles: list[cProfile.Profile], lock: threading.Lock) -> None:
    """cProfile every drain on its own thread (a profiler sees only its thread) and keep the profiles."""
    drain = sender.drain

    def run() -> Any:
        profiler = cProfile.Profile()
        try:
            return profiler.runcall(drain)
        finally:
            with lock:
                profiles.append(profiler)

    sender.drain = run  # type: ignore[method-assign]


# --- one burst ------------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank, of sorted values."""
    rank = max(1, round(p / 100 * len(values) + 0.5 - 1e-9))
    return values[min(rank, len(values)) - 1]


@dataclass
class Burst:
    database: str
    breaches: int
    departments: int
    managers: int
    sweep_s: float
    milestones: int
    owed: Counter[str]
    due: dict[str, float]  # DM key -> its due time, on the monotonic clock
    finished: bool
    drained_s: float
    statuses: Counter[str]
    seen: list[Seen]
    start: float  # the sweep's start, on the monotonic clock
    phases: Phases
    claimed: dict[str, list[float]]  # kind -> seconds from its due time to the claim that sent it, per row
    attempts: dict[str, Counter[int]]  # kind -> how many claims its rows took


def wait_settled(read: Callable[[], AbstractContextManager[Session]], start: float, timeout: float) -> bool:
    """Wait until no outbox row is pending or being sent (True), or ``timeout`` seconds from ``start`` (False)."""
    last_report = time.monotonic()
    while time.monotonic() - start < timeout:
        with read() as session:
            left = session.exec(
                select(func.count()).select_from(Outbox).where(col(Outbox.status).in_(["pending", "sending"]))
            ).one()
        if not left:
            return True
        if time.monotonic() - last_report > 15:
            last_report = time.monotonic()
            print(f"  {time.monotonic() - start:.0f} s: {left:,} outbox rows left", file=sys.stderr, flush=True)
        time.sleep(0.2)
    return False


def run_burst(args: argparse.Namespace, engine: Engine, slack: Any, database_name: str) -> Burst:
    migrate.upgrade(engine)
    departments = department_ids(args.departments)
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(org_text(args.departments, args.managers), "breach-burst org"))
        planned = plan_requests(session, args.breaches, departments)
        session.commit()
    print(f"{database_name}: seeding {len(planned):,} cards in the fake Slack...", file=sys.stderr, flush=True)
    cards = slack.seed_cards([channel_of(p.provider) for p in planned])
    store(engine, planned, cards)

    origin = time.monotonic() - args.tick_lag  # NOW, the due time, on the monotonic clock: the sweep comes this late

    def clock() -> datetime:
        return NOW + timedelta(seconds=time.monotonic() - origin)

    settings = Settings(
        _env_file=None,
        slack_bot_token=SecretStr(TOKEN),
        slack_api_url=slack.base_url(),
        database_url=engine.url.render_as_string(hide_password=False),
    )
    client = sender_client(settings, timeout=CALL_TIMEOUT_S)  # the scheduler's sender's client, as build_deps makes it
    write, read = session_factory(engine), session_factory(engine, read_only=True)
    sender = Sender(write, client, clock, all_kinds(settings), read_scope=read)
    phases = Phases()
    instrument(sender, phases)
    instrument_turns(engine, phases)
    profiles: list[cProfile.Profile] = []
    if args.profile:
        profiled(sender, profiles, threading.Lock())

    stop = threading.Event()
    loop = threading.Thread(target=sender.run, args=(stop,), kwargs={"threads": args.threads}, name="outbox")
    loop.start()  # the scheduler's sender loop, running before the sweep
    try:
        print(f"{database_name}: {len(planned):,} breaches due; sweeping", file=sys.stderr, flush=True)
        start = time.monotonic()
        with write() as session:  # the tick: the sweep in one transaction, then a drain on the same thread
            result = sweep(session, clock())
        sweep_s = time.monotonic() - start
        print(f"{database_name}: swept in {sweep_s:.1f} s; delivering", file=sys.stderr, flush=True)
        sender.drain()
        finished = wait_settled(read, start, args.timeout)
        drained_s = time.monotonic() - start
    finally:  # also when something failed: the loop's threads would keep the process alive
        stop.set()
        loop.join(timeout=60)
    if profiles:  # wall time: a drain's threads mostly wait (for Slack, for the database)
        merged = pstats.Stats(*profiles, stream=sys.stderr)
        merged.sort_stats("cumulative").print_stats(30)
        merged.sort_stats("tottime").print_stats(15)

    with read() as session:
        rows = list(session.exec(select(Outbox)))
    due = {
        row.key: origin + (datetime.fromisoformat(row.payload["due"]) - NOW).total_seconds()
        for row in rows
        if row.kind == DM
    }
    claimed: dict[str, list[float]] = defaultdict(list)
    attempts: dict[str, Counter[int]] = defaultdict(Counter)
    for row in rows:
        attempts[row.kind][row.attempts] += 1
        if row.claimed_at is not None:
            claimed[row.kind].append((row.claimed_at - datetime.fromisoformat(row.payload["due"])).total_seconds())
    return Burst(
        database=database_name,
        breaches=len(planned),
        departments=args.departments,
        managers=args.departments * args.managers,
        sweep_s=sweep_s,
        milestones=result.milestones,
        owed=Counter(row.kind for row in rows),
        due=due,
        finished=finished,
        drained_s=drained_s,
        statuses=Counter(row.status for row in rows),
        seen=[Seen(*fields) for fields in slack.seen()],
        start=start,
        phases=phases,
        claimed={kind: sorted(waits) for kind, waits in claimed.items()},
        attempts=dict(attempts),
    )


# --- the report -------------------------------------------------------------------------------------------------


def report(burst: Burst, args: argparse.Namespace) -> bool:
    posts = [s for s in burst.seen if s.method == "chat.postMessage"]
    delivered = [s for s in posts if s.ok]
    arrivals: dict[str, list[float]] = defaultdict(list)
    for post in delivered:
        for key in post.keys:
            arrivals[key].append(post.at)
    dm_keys = set(burst.due)
    dm_posts = [p for p in delivered if dm_keys.intersection(p.keys)]
    once = {key: len(arrivals.get(key, [])) for key in dm_keys}
    missing = sorted(key for key, n in once.items() if n == 0)
    twice = sorted(key for key, n in once.items() if n > 1)
    waits = sorted(min(arrivals[key]) - burst.due[key] for key in dm_keys if arrivals.get(key))
    notes = [p for p in delivered if p.thread_ts and not dm_keys.intersection(p.keys)]
    updates = [s for s in burst.seen if s.method == "chat.update" and s.ok]
    limited = Counter(s.method for s in burst.seen if s.status == 429)
    calls = Counter(s.method for s in burst.seen)
    note_channels = {p.channel for p in notes}

    pace = f"{args.pace:g} post/s per conversation (burst {args.burst})" if args.pace > 0 else "no post pace"
    print(
        f"breach_burst on {burst.database}: {burst.breaches:,} breaches due at once, {burst.departments} departments, "
        f"{burst.managers} managers; Slack answers in {args.slack_latency_ms:g} ms, {pace}; "
        f"{args.threads} sender threads and the tick's drain; the sweep {args.tick_lag:g} s after the due time"
    )
    print(
        f"sweep: {burst.milestones:,} milestones, {sum(burst.owed.values()):,} outbox rows "
        f"({burst.owed[DM]:,} DMs, {burst.owed[THREAD]:,} thread notes, {burst.owed[CARD]:,} card refreshes) "
        f"in {burst.sweep_s:.1f} s"
    )
    print(
        f"breach DMs: {len(dm_keys):,} owed to {len({k.rsplit(':', 1)[1] for k in dm_keys})} managers, "
        f"posted as {len(dm_posts):,} messages (digests of up to 20)"
    )
    if waits:
        print(
            f"due -> DM at the fake: median {statistics.median(waits):.1f} s, p95 {percentile(waits, 95):.1f} s, "
            f"max {waits[-1]:.1f} s (the sweep alone: {burst.sweep_s:.1f} s)"
        )
    last_note = max((p.at for p in notes), default=burst.start) - burst.start
    last_update = max((s.at for s in updates), default=burst.start) - burst.start
    print(
        f"channel notes: {len(notes):,} thread notes in {len(note_channels)} channels drained {last_note:.1f} s "
        f"after the sweep began; {len(updates):,} card refreshes, the last at {last_update:.1f} s; "
        f"all rows settled at {burst.drained_s:.1f} s" + ("" if burst.finished else " (NOT FINISHED: timed out)")
    )
    answered = [f"{method} {n:,}" + (f" ({limited[method]:,} of them 429)" if limited[method] else "")
                for method, n in calls.most_common()]  # fmt: skip
    print("Slack calls: " + ", ".join(answered))
    print(f"outbox rows: {dict(burst.statuses)}")
    dm_429 = sum(1 for s in burst.seen if s.status == 429 and s.channel.startswith(("U", "W", "D")))
    print(f"429s on DM conversations: {dm_429:,}; on channels: {limited['chat.postMessage'] - dm_429:,}")
    for kind, claimed in burst.claimed.items():
        print(
            f"  {kind:<14} claims per row {dict(sorted(burst.attempts[kind].items()))}; due -> the claim that sent it: "
            f"median {statistics.median(claimed):.1f} s, p95 {percentile(claimed, 95):.1f} s, max {claimed[-1]:.1f} s"
        )
    print("\n".join(burst.phases.lines()))
    exactly_once = not missing and not twice
    print(
        f"every DM exactly once: {'yes' if exactly_once else 'NO'}"
        + (f" ({len(missing)} never arrived, e.g. {missing[:3]}" if missing else "")
        + (f"; {len(twice)} arrived more than once, e.g. {twice[:3]})" if twice else ")" if missing else "")
    )
    met = exactly_once and bool(waits) and waits[-1] <= args.target_s and burst.statuses.get("dead", 0) == 0
    verdict = "PASS" if met else "FAIL"
    print(f"target: every breach DM within {args.target_s:g} s of its due time, exactly once: {verdict}")
    return met


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--breaches", type=int, default=1000, help="requests breaching at once")
    parser.add_argument("--departments", type=int, default=8, help="provider departments (of unequal size)")
    parser.add_argument("--managers", type=int, default=2, help="managers per provider department")
    parser.add_argument("--threads", type=int, default=8, help="threads of the sender's loop (Sender.run)")
    parser.add_argument("--slack-latency-ms", type=float, default=100.0, help="how long the fake Slack takes to answer")
    parser.add_argument("--pace", type=float, default=1.0, help="posts a second per conversation (0: no pace)")
    parser.add_argument("--burst", type=int, default=3, help="posts a conversation may make at once before the pace")
    parser.add_argument("--tick-lag", type=float, default=0.0, help="seconds from the due time to the sweep")
    parser.add_argument("--target-s", type=float, default=TARGET_S, help="the longest a breach DM may take")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds to wait for the outbox to drain")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL cluster")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the sender's drains (stderr)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    name = "postgresql" if args.postgres else "sqlite"
    with (
        tempfile.TemporaryDirectory(prefix="inhouse-burst-") as workdir,
        slack_process(args.slack_latency_ms / 1000, args.pace, args.burst) as slack,
        database(args.postgres, Path(workdir)) as engine,
    ):
        burst = run_burst(args, engine, slack, name)
    return 0 if report(burst, args) else 1


if __name__ == "__main__":
    sys.exit(main())
