"""How long the reports take over two years of an org's requests (1,000,000; 100,000 with --quick), on SQLite
and PostgreSQL.

Every figure of a report is aggregated in SQL (``storage/reports.py``), so a report should cost what its period
holds, not what is stored. The benchmark writes an org file of 20 departments (three calendars, four kinds of
agreement), applies it with the real code, and loads in bulk requests filed at a steady rate over 104 weeks,
with the rows the product writes for them: the event log (created, acknowledged, some paused and resumed with
the wait's business minutes, resolved, a few transferred or reopened; each event with the provider in charge
and the customer), each first response's and resolution's outcome (met or breached), and the two ratings asked
on resolution, given for a share of them. Business minutes come from the real calendar code. Then it times
``bot.reports.service.build`` in a read-only session scope, as a command or App Home runs it: one department's
last 30 days, the whole org's last 90 days, and App Home's health section (``bot.reports.health``: this month so
far and last month of one department, two builds), and checks the figures against what it loaded.

    .venv/bin/python -m benchmarks.report_queries [--quick] [--databases sqlite,postgresql] [--repeat 5]

Exits 1 if a target is missed. benchmarks/README.md says how to read it.
"""

import argparse
import bisect
import cProfile
import itertools
import pstats
import random
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, create_engine, event
from sqlmodel import Session

from benchmarks.sla_sweep import load, postgres_databases, settle, sqlite_databases
from bot.agreements.promises import promise_for
from bot.domain.durations import parse_duration
from bot.domain.sla import BusinessCalendar, add_business_minutes, business_minutes_between, due_at
from bot.org.apply import apply_org, business_calendar
from bot.org.model import load_org_text
from bot.reports import health, service
from bot.reports.figures import Period, Report
from storage import migrate
from storage.db import session_factory
from storage.feedback_models import Rating
from storage.models import Department, Request, RequestEvent, SlaOutcome

Row = dict[str, Any]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 13:00 in Berlin: every report is asked then
ZONE = ZoneInfo("Europe/Berlin")
WEEKS = 104  # requests are filed over the 104 weeks before NOW, as many in every week
FULL, QUICK = 1_000_000, 100_000
HISTORIES = 400  # per kind of agreement (8): the request histories the requests are drawn from
BATCH = 25_000  # requests generated and loaded at a time
REQUESTS: Table = Request.__table__  # type: ignore[attr-defined]
EVENTS: Table = RequestEvent.__table__  # type: ignore[attr-defined]
OUTCOMES: Table = SlaOutcome.__table__  # type: ignore[attr-defined]
RATINGS: Table = Rating.__table__  # type: ignore[attr-defined]

# --- the org: 20 departments, the n-th asked 1/n as often as the first ---------------------------------------------

CALENDARS = {
    "office": ("mon-fri", "09:00-17:00"),
    "desk": ("mon-fri", "07:00-19:00"),
    "site": ("mon-sat", "06:00-14:00"),
}


@dataclass(frozen=True)
class Profile:
    """A kind of provider: its calendar and its (first response, resolution) targets, normal and urgent."""

    calendar: str
    normal: tuple[str, str]
    urgent: tuple[str, str]


PROFILES = {
    "desk": Profile("desk", ("2h", "1d"), ("15m", "2h")),
    "office": Profile("office", ("4h", "2d"), ("30m", "4h")),
    "back": Profile("office", ("1d", "5d"), ("2h", "1d")),
    "site": Profile("site", ("4h", "3d"), ("1h", "8h")),
}
DEPARTMENTS = [  # id, name, profile; the biggest provider first
    *(("it", "IT Support", "desk"), ("hr", "People & Culture", "back"), ("facilities", "Facilities", "site")),
    *(("finance", "Finance", "back"), ("servicedesk", "Service Desk", "desk"), ("procurement", "Procurement", "back")),
    *(("legal", "Legal", "back"), ("security", "Security", "desk"), ("payroll", "Payroll", "back")),
    *(("logistics", "Logistics", "site"), ("marketing", "Marketing", "office"), ("data", "Data & Analytics", "desk")),
    *(("travel", "Travel", "office"), ("training", "Training", "office"), ("compliance", "Compliance", "back")),
    *(("design", "Design", "office"), ("comms", "Communications", "office"), ("quality", "Quality", "site")),
    *(("sales", "Sales", "office"), ("workshop", "Workshop", "site")),
]
IDS = [department for department, _, _ in DEPARTMENTS]
INDEX = {department: index for index, department in enumerate(IDS)}
BIGGEST = IDS[0]
SHARES = list(itertools.accumulate(1 / rank for rank in range(1, len(IDS) + 1)))  # cumulative
PRIORITIES = {"low": 0.08, "normal": 0.75, "high": 0.10, "urgent": 0.07}  # urgent has its own agreement
PRIORITY_SHARES = list(itertools.accumulate(PRIORITIES.values()))
UNKNOWN_CUSTOMER = 0.02  # requesters whose department Inhouse does not know
MET = 0.85  # how often each target is met; the rest are breached, a few of them by weeks
RATED = (0.35, 0.20)  # of the resolved requests, the share the requester rates, and the provider
SCORES = ((1, 2, 3, 4, 5), (3, 5, 12, 40, 40))  # and their weights


def staff(index: int, role: str, count: int) -> list[str]:
    return [f"U{index:02d}{role}{k}" for k in range(1, count + 1)]


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def org_text() -> str:
    """Three calendars (no holidays: see ``History``), 20 departments, each with two agreements."""
    lines = ["[organization]", 'timezone = "Europe/Berlin"']
    for calendar, (days, hours) in CALENDARS.items():
        lines += ["", f"[calendars.{calendar}]", f'days = "{days}"', f'hours = "{hours}"']
    for index, (department, name, profile) in enumerate(DEPARTMENTS):
        lines += [
            "",
            f"[departments.{department}]",
            f'name = "{name}"',
            f'channel = "C{index:02d}{department.upper()}"',
        ]
        lines += [f"managers = [{quoted(staff(index, 'M', 2))}]", f"members = [{quoted(staff(index, 'S', 6))}]"]
        lines += [f'calendar = "{PROFILES[profile].calendar}"']
    for department, _, profile in DEPARTMENTS:
        for priority, (first, resolution) in [("*", PROFILES[profile].normal), ("urgent", PROFILES[profile].urgent)]:
            lines += ["", "[[agreements]]", f'provider = "{department}"', 'customer = "*"', f'priority = "{priority}"']
            lines += [f'first_response = "{first}"', f'resolution = "{resolution}"']
    return "\n".join(lines) + "\n"


ORG = org_text()

# --- request histories, timed by the real calendar code ------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    kind: str
    at: int  # index into History.offsets
    side: int  # the provider in charge: 0 the one it was filed with, 1 the one it was transferred to
    waited: float | None = None  # the business minutes of the wait on the requester that this step ends


@dataclass(frozen=True)
class Measure:
    """An sla_outcome row as storage/outcomes.py writes it; instants are indexes into History.offsets."""

    metric: str
    cycle: int
    side: int
    due: int
    met: bool
    done: int
    minutes: float

    @property
    def decided(self) -> int:
        return self.done if self.met else self.due  # a breach counts when its target passed (the sweep's row)


@dataclass(frozen=True)
class History:
    """One request's life, filed in the week from NOW. The calendars have no holidays and no DST change falls
    in the weeks it spans, so shifted by whole weeks of Berlin's wall-clock time it is the same business time.
    """

    offsets: tuple[timedelta, ...]  # from the week's start (a Monday 13:00 in Berlin)
    steps: tuple[Step, ...]
    measures: tuple[Measure, ...]
    due: tuple[int, int]  # the request's first_response_due and resolution_due in the end
    targets: tuple[float, float]
    rated: tuple[int, int]  # when the requester and the provider would rate it


class Timeline:
    def __init__(self) -> None:
        self.instants: list[datetime] = []

    def at(self, instant: datetime) -> int:
        self.instants.append(instant)
        return len(self.instants) - 1


def spent(rng: random.Random, target: float, met: float = MET) -> int:
    """Business minutes taken: within the target (``met`` of the time), else past it (5% of those by weeks)."""
    if rng.random() < met:
        return max(1, round(target * rng.uniform(0.05, 0.95)))
    return max(1, round(target * (rng.uniform(1.05, 2.0) if rng.random() > 0.05 else rng.uniform(3, 12))))


def filed_at(rng: random.Random, calendar: BusinessCalendar) -> datetime:
    """In the week from NOW: nine in ten in business hours, the rest at any hour."""
    monday = NOW - timedelta(hours=13)  # 00:00 in Berlin (UTC+1 until March)
    if rng.random() < 0.9:
        week = business_minutes_between(calendar, monday, monday + timedelta(weeks=1))
        instant = add_business_minutes(calendar, monday, rng.randrange(int(week)))
    else:
        instant = monday + timedelta(minutes=rng.randrange(7 * 1440))
    return instant if instant >= NOW else instant + timedelta(weeks=1)


def make_history(rng: random.Random, calendar: BusinessCalendar, targets: tuple[str, str]) -> History:
    """Filed, acknowledged, resolved; 3% transferred (and acknowledged again), 20% waiting on the requester a
    while, 2% reopened and resolved again. Targets met and breached as ``spent`` draws them.
    """
    first, resolution = (parse_duration(target) for target in targets)
    line, steps, waited = Timeline(), [], 0.0
    start = filed_at(rng, calendar)
    steps.append(Step("created", line.at(start), 0))
    first_due = due_at(calendar, start, first)
    acked = add_business_minutes(calendar, start, spent(rng, business_minutes_between(calendar, start, first_due)))
    steps.append(Step("acknowledged", line.at(acked), 0))
    responded = Measure(
        "first_response", 0, 0, line.at(first_due), acked <= first_due, steps[-1].at,
        business_minutes_between(calendar, start, acked),
    )  # fmt: skip
    clock, base, side, shape = start, acked, 0, rng.random()
    if shape < 0.03:  # to another department of the same kind: the clocks start again there
        moved = add_business_minutes(calendar, acked, rng.randint(10, 120))
        steps.append(Step("transferred", line.at(moved), 0))
        first_due = due_at(calendar, moved, first)
        base = add_business_minutes(calendar, moved, spent(rng, business_minutes_between(calendar, moved, first_due)))
        steps.append(Step("acknowledged", line.at(base), 1))
        minutes = business_minutes_between(calendar, moved, base)  # the new response updates the row
        responded = Measure("first_response", 0, 0, responded.due, responded.met, steps[-1].at, minutes)
        clock, side = moved, 1
    resolution_due = due_at(calendar, clock, resolution)
    target = business_minutes_between(calendar, clock, resolution_due)
    if 0.03 <= shape < 0.23:  # waiting on the requester: the clock stops; what was left runs again on resume
        paused = add_business_minutes(calendar, acked, rng.randint(5, 240))
        if paused < resolution_due:
            left = business_minutes_between(calendar, paused, resolution_due)
            resumed = paused + timedelta(minutes=rng.randint(30, 4320))
            waited = business_minutes_between(calendar, paused, resumed)
            steps += [Step("paused", line.at(paused), side), Step("resumed", line.at(resumed), side, waited)]
            resolution_due, base = add_business_minutes(calendar, resumed, round(left)), resumed
    remaining = business_minutes_between(calendar, base, resolution_due)
    if remaining >= 1:
        resolved = add_business_minutes(calendar, base, spent(rng, remaining))
    else:
        resolved = add_business_minutes(calendar, max(base, resolution_due), spent(rng, target, met=0))
    steps.append(Step("resolved", line.at(resolved), side))
    measures = [
        responded,
        Measure(
            "resolution", 0, side, line.at(resolution_due), resolved <= resolution_due, steps[-1].at,
            business_minutes_between(calendar, clock, resolved) - waited,
        ),
    ]  # fmt: skip
    requester, provider = (line.at(resolved + timedelta(minutes=rng.expovariate(1 / 240))) for _ in range(2))
    due_index = measures[-1].due
    if 0.23 <= shape < 0.25:  # reopened, and resolved again within the restarted resolution target
        reopened = resolved + timedelta(minutes=rng.randint(60, 4320))
        steps.append(Step("reopened", line.at(reopened), side))
        due_again = due_at(calendar, reopened, resolution)
        again = add_business_minutes(
            calendar, reopened, max(1, round(business_minutes_between(calendar, reopened, due_again) * 0.5))
        )
        steps.append(Step("resolved", line.at(again), side))
        due_index = line.at(due_again)
        minutes = business_minutes_between(calendar, reopened, again)
        measures.append(Measure("resolution", 1, side, due_index, True, steps[-1].at, minutes))
    due = (line.at(first_due), due_index)
    assert max(line.instants) < datetime(2027, 3, 28, tzinfo=UTC), "a history crosses a DST change"
    return History(
        offsets=tuple(instant - NOW for instant in line.instants),
        steps=tuple(steps),
        measures=tuple(measures),
        due=due,
        targets=(business_minutes_between(calendar, clock, first_due), target),
        rated=(requester, provider),
    )


def make_histories() -> dict[tuple[str, bool], list[History]]:
    """HISTORIES per (profile, urgent), the same every run."""
    rng, calendars = random.Random(12), load_org_text(ORG).calendars
    return {
        (name, urgent): [
            make_history(
                rng, business_calendar(calendars[profile.calendar]), profile.urgent if urgent else profile.normal
            )
            for _ in range(HISTORIES)
        ]
        for name, profile in PROFILES.items()
        for urgent in (False, True)
    }


# --- the rows the product would have written ------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """One request: a history placed in its week (``at``: its instants in UTC), its departments and people."""

    number: int
    history: History
    at: tuple[datetime, ...]
    sides: tuple[str, str]  # filed with; transferred to (if it is)
    customer: str | None
    requester: str
    workers: tuple[str, str]
    priority: str


@dataclass
class Life:
    """The request's row as the events up to NOW left it (bot.domain.lifecycle's rules)."""

    updated_at: datetime
    state: str = "open"
    side: int = 0
    assignee: str | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    first_resolved: datetime | None = None
    waiting_since: datetime | None = None
    cycle: int = 0

    def advance(self, step: Step, when: datetime, worker: str) -> None:
        self.updated_at = when
        match step.kind:
            case "acknowledged":
                self.state, self.assignee, self.first_response_at = (
                    "acknowledged",
                    worker,
                    self.first_response_at or when,
                )
            case "paused":
                self.state, self.waiting_since = "waiting", when
            case "resumed":
                self.state, self.waiting_since = "acknowledged", None
            case "transferred":
                self.state, self.side, self.assignee, self.first_response_at = "open", 1, None, None
            case "resolved":
                self.state, self.resolved_at, self.first_resolved = "resolved", when, self.first_resolved or when
            case "reopened":
                self.state, self.resolved_at, self.cycle = "acknowledged", None, self.cycle + 1


@dataclass
class Batch:
    requests: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[str, Table, list[Row]]]:
        return [
            ("requests", REQUESTS, self.requests),
            ("events", EVENTS, self.events),
            ("outcomes", OUTCOMES, self.outcomes),
            ("ratings", RATINGS, self.ratings),
        ]

    def add(self, drawn: Drawn, promise: dict[str, Any], rng: random.Random) -> None:
        life = Life(drawn.at[0])
        for step in drawn.history.steps:
            when = drawn.at[step.at]
            if when > NOW:
                break
            self.events.append(event_row(drawn, step, when))
            life.advance(step, when, drawn.workers[step.side])
        self.requests.append(request_row(drawn, life, promise))
        self.outcomes += outcome_rows(drawn)
        if life.first_resolved is not None:
            self.ratings += rating_rows(drawn, life.first_resolved, drawn.sides[life.side], rng)


def event_row(drawn: Drawn, step: Step, when: datetime) -> Row:
    goes_to = {"created": drawn.sides[0], "transferred": drawn.sides[1]}.get(step.kind)
    return {
        "request_id": drawn.number,
        "kind": step.kind,
        "actor_id": drawn.requester if step.kind in ("created", "reopened") else drawn.workers[step.side],
        "at": when,
        "provider_id": goes_to,
        "note": None,
        "department_id": drawn.sides[step.side],
        "customer_id": drawn.customer,
        "waited_minutes": step.waited,
    }


def request_row(drawn: Drawn, life: Life, promise: dict[str, Any]) -> Row:
    first_due, resolution_due = (drawn.at[i] for i in drawn.history.due)
    done = life.state == "resolved"
    return {
        "id": drawn.number,
        "provider_id": drawn.sides[life.side],
        "requester_id": drawn.requester,
        "requester_department_id": drawn.customer,
        "priority": drawn.priority,
        "description": f"#{drawn.number}: the projector in room 4 does not find the laptop",
        "needed_by": None,
        "state": life.state,
        "assignee_id": life.assignee,
        "created_at": drawn.at[0],
        "updated_at": life.updated_at,
        "first_response_at": life.first_response_at,
        "resolved_at": life.resolved_at,
        "waiting_since": life.waiting_since,
        "resolution_note": "Fixed" if done else None,
        "promise": promise,
        "first_response_due": first_due,
        "resolution_due": resolution_due,
        "first_response_target": drawn.history.targets[0],
        "resolution_target": drawn.history.targets[1],
        "sla_cycle": life.cycle,
        "next_check_at": None if done else (resolution_due if life.first_response_at else first_due),
        "card_channel": f"C{INDEX[drawn.sides[life.side]]:02d}{drawn.sides[life.side].upper()}",
        "card_ts": f"{1_600_000_000 + drawn.number}.000100",
    }


def outcome_rows(drawn: Drawn) -> list[Row]:
    """Each target met by NOW, or breached by NOW (the sweep's row, not done yet), as outcomes.py writes it."""
    rows = []
    for m in drawn.history.measures:
        done = drawn.at[m.done] <= NOW
        if not done and (m.met or drawn.at[m.due] > NOW):
            continue
        rows.append(
            {
                "request_id": drawn.number,
                "metric": m.metric,
                "cycle": m.cycle,
                "provider_id": drawn.sides[m.side],
                "customer_id": drawn.customer,
                "due_at": drawn.at[m.due],
                "outcome": "met" if m.met else "breached",
                "decided_at": drawn.at[m.decided],
                "done_at": drawn.at[m.done] if done else None,
                "minutes": m.minutes if done else None,
            }
        )
    return rows


def rating_rows(drawn: Drawn, asked: datetime, provider: str, rng: random.Random) -> list[Row]:
    """Both ratings, asked when first resolved; each given by its share of people (mostly 4 and 5)."""
    sides = [
        ("customer_to_provider", drawn.customer, provider, drawn.requester),
        ("provider_to_customer", provider, drawn.customer, drawn.workers[drawn.sides.index(provider)]),
    ]
    rows = []
    for (direction, giver, receiver, rater), share, rated in zip(sides, RATED, drawn.history.rated, strict=True):
        given = rng.random() < share and drawn.at[rated] <= NOW
        rows.append(
            {
                "request_id": drawn.number,
                "direction": direction,
                "from_department_id": giver,
                "to_department_id": receiver,
                "rater_id": rater if given else None,
                "score": rng.choices(*SCORES)[0] if given else None,
                "comment": None,
                "asked_at": asked,
                "rated_at": drawn.at[rated] if given else None,
            }
        )
    return rows


@dataclass
class Loaded:
    """What was loaded: rows per table, and each request's filing instant and provider, to check reports by."""

    rows: dict[str, int] = field(default_factory=dict)
    filed: "array[float]" = field(default_factory=lambda: array("d"))
    provider: "array[int]" = field(default_factory=lambda: array("b"))

    def filed_in(self, period: Period, provider: str | None) -> int:
        start, end, wanted = period.start.timestamp(), period.end.timestamp(), INDEX[provider] if provider else -1
        return sum(
            1 for at, p in zip(self.filed, self.provider, strict=True) if start <= at < end and wanted in (-1, p)
        )


class Requests:
    """Draws the requests: the same rows for every database (each batch has its own seed)."""

    def __init__(self, size: int, histories: dict[tuple[str, bool], list[History]]) -> None:
        self.size, self.histories = size, histories
        now = NOW.astimezone(ZONE).replace(tzinfo=None)
        local = [now - timedelta(weeks=WEEKS - week) for week in range(WEEKS)]  # each week's start, wall-clock
        self.weeks = [(start, start.replace(tzinfo=ZONE).astimezone(UTC)) for start in local]
        hours = [NOW - timedelta(weeks=WEEKS + 1, hours=-h) for h in range((WEEKS + 30) * 168)]
        changes = [
            b for a, b in itertools.pairwise(hours) if a.astimezone(ZONE).utcoffset() != b.astimezone(ZONE).utcoffset()
        ]
        self.stable = [changes[bisect.bisect(changes, utc)] for _, utc in self.weeks]  # the offset's next change
        self.placed: dict[tuple[int, int], tuple[datetime, ...]] = {}
        self.staff = [staff(index, "S", 6) for index in range(len(IDS))]
        self.kin = {d: [o for o, _, q in DEPARTMENTS if q == p and o != d] for d, _, p in DEPARTMENTS}

    def batches(self, promises: dict[tuple[str, str], dict[str, Any]], loaded: Loaded) -> Iterator[Batch]:
        for first in range(1, self.size + 1, BATCH):
            rng, batch = random.Random(first), Batch()
            for number in range(first, min(first + BATCH, self.size + 1)):
                drawn = self.draw(number, rng)
                loaded.filed.append(drawn.at[0].timestamp())
                loaded.provider.append(INDEX[drawn.sides[0]])
                provider = drawn.sides[1] if drawn.history.steps[2].kind == "transferred" else drawn.sides[0]
                batch.add(drawn, promises[provider, drawn.priority], rng)
            yield batch

    def draw(self, number: int, rng: random.Random) -> Drawn:
        index = bisect.bisect(SHARES, rng.random() * SHARES[-1])
        provider, profile = IDS[index], DEPARTMENTS[index][2]
        sides = (provider, rng.choice(self.kin[provider]))
        customer = None if rng.random() < UNKNOWN_CUSTOMER else rng.choice(IDS[:index] + IDS[index + 1 :])
        priority = list(PRIORITIES)[bisect.bisect(PRIORITY_SHARES, rng.random())]
        which = rng.randrange(HISTORIES)
        history = self.histories[profile, priority == "urgent"][which]
        week = (number - 1) * WEEKS // self.size  # a steady rate: ids grow with time
        key = (week, id(history))
        if key not in self.placed:
            self.placed[key] = self.place(week, history)
        requester = f"U{INDEX[customer] if customer else 99:02d}R{rng.randrange(80):03d}"
        workers = (self.staff[index][rng.randrange(6)], self.staff[INDEX[sides[1]]][rng.randrange(6)])
        return Drawn(number, history, self.placed[key], sides, customer, requester, workers, priority)

    def place(self, week: int, history: History) -> tuple[datetime, ...]:
        """A history's instants in UTC, shifted by whole weeks of wall-clock time in Berlin."""
        local, start = self.weeks[week]
        return tuple(
            start + o if start + o < self.stable[week] else (local + o).replace(tzinfo=ZONE).astimezone(UTC)
            for o in history.offsets
        )


# --- loading --------------------------------------------------------------------------------------------------------


def promises_of(engine: Engine) -> dict[tuple[str, str], dict[str, Any]]:
    """Apply the org; the promise each (provider, priority) gets, as the request row keeps it."""
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(ORG, "org"))
        found = {}
        for provider in IDS:
            department = session.get(Department, provider)
            assert department is not None
            for priority in PRIORITIES:
                promise = promise_for(session, department, None, priority)
                assert promise is not None, f"{provider} promises {priority} requests nothing"
                found[provider, priority] = promise.to_dict()
        return found


@dataclass
class Database:
    name: str
    engine: Engine
    loader: Engine  # PostgreSQL: without the foreign keys' checks (the rows are consistent by construction)
    promises: dict[tuple[str, str], dict[str, Any]]
    load_s: float = 0.0
    settle_s: float = 0.0
    timed: list["Timed"] = field(default_factory=list)


def prepare(name: str, engine: Engine) -> Database:
    print(f"{name}: migrating, applying the org", file=sys.stderr, flush=True)
    migrate.upgrade(engine)
    loader = engine
    if engine.dialect.name == "postgresql":
        url = engine.url.render_as_string(hide_password=False)
        loader = create_engine(url, connect_args={"options": "-c session_replication_role=replica"})
    return Database(name, engine, loader, promises_of(engine))


def load_batch(db: Database, batch: Batch) -> None:
    started = time.perf_counter()
    for _, table, rows in batch.tables():  # requests first: the others refer to them
        load(db.loader, table, rows)
    db.load_s += time.perf_counter() - started


def fill(databases: list[Database], requests: Requests) -> tuple[Loaded, float]:
    """Load each batch, generated once, into every database side by side (a thread each: much of it is SQLite's
    and PostgreSQL's own work), then settle each; what was loaded, and the seconds spent generating it.
    """
    promises, loaded, generating = databases[0].promises, Loaded(), 0.0
    assert all(db.promises == promises for db in databases), "the databases numbered the agreements differently"
    print(f"loading {requests.size:,} requests into {len(databases)} database(s)...", file=sys.stderr, flush=True)
    batches = requests.batches(promises, loaded)
    with ThreadPoolExecutor(len(databases)) as pool:
        while True:
            started = time.perf_counter()
            batch = next(batches, None)
            generating += time.perf_counter() - started
            if batch is None:
                break
            for name, _, rows in batch.tables():
                loaded.rows[name] = loaded.rows.get(name, 0) + len(rows)
            list(pool.map(load_batch, databases, itertools.repeat(batch)))
    for db in databases:
        db.loader.dispose()
        started = time.perf_counter()
        settle(db.engine, requests.size)
        db.settle_s = time.perf_counter() - started
        print(f"{db.name}: loaded in {db.load_s:.0f} s, analyzed in {db.settle_s:.1f} s", file=sys.stderr, flush=True)
    return loaded, generating


# --- the reports ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    target_ms: float
    provider: str | None
    run: Callable[[Session], list[Report]]  # what the product runs for it, in one session


def last_days(days: int, provider: str | None) -> Callable[[Session], list[Report]]:
    """``inhouse report`` and ``/inhouse report``: the last ``days`` days in the org's time zone."""

    def run(session: Session) -> list[Report]:
        period = service.last_days(service.org_zone(session), NOW, days)
        return [service.build(session, period, NOW, provider=provider)]

    return run


def app_home(session: Session) -> list[Report]:
    """A manager's App Home: the department's health, this month so far and last month (two glances), as blocks."""
    figures = health.health(session, BIGGEST, DEPARTMENTS[0][1], NOW)
    health.health_blocks(figures)
    zone = service.org_zone(session)
    months = [service.month(zone, NOW.astimezone(zone).date(), now=NOW)]
    months.append(service.month(zone, months[0].start.astimezone(zone).date() - timedelta(days=1)))
    # Glances have totals only: as reports without pairs or trend, for the table and the plausibility checks.
    return [
        Report(period, [], total)
        for period, total in zip(months, (figures.this_month, figures.last_month), strict=True)
    ]


CASES = [
    Case(f"{BIGGEST}, 30 days", 500.0, BIGGEST, last_days(30, BIGGEST)),
    Case("org, 90 days", 2000.0, None, last_days(90, None)),
    Case(f"App Home ({BIGGEST})", 100.0, BIGGEST, app_home),
]


@dataclass
class Timed:
    database: str
    case: Case
    reports: list[Report] = field(default_factory=list)
    runs_ms: list[float] = field(default_factory=list)
    statements: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms[1:])  # the first run warms up

    @property
    def passed(self) -> bool:
        return self.median_ms < self.case.target_ms and not self.problems


def run_case(engine: Engine, case: Case, profiler: cProfile.Profile | None = None) -> tuple[float, list[Report]]:
    """One run in a read-only session scope, as a command or App Home opens it."""
    started = time.perf_counter()
    with session_factory(engine, read_only=True)() as session:
        reports = profiler.runcall(case.run, session) if profiler else case.run(session)
    return (time.perf_counter() - started) * 1000, reports


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any, float]]]:
    """The statements sent meanwhile, with their parameters and milliseconds."""
    sent: list[tuple[str, Any, float]] = []
    began: list[float] = []

    def before(*_: Any) -> None:
        began.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters, (time.perf_counter() - began.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def plausible(timed: Timed, loaded: Loaded) -> list[str]:
    """Whether the reports counted what was loaded: filed exactly, the rest in the ranges the data has."""
    problems = []
    for report in timed.reports:
        total, expected = report.total, loaded.filed_in(report.period, timed.case.provider)
        where = f"{timed.case.name}, {report.period.label}"
        if total.filed != expected:
            problems.append(f"{where}: filed {total.filed:,}, loaded {expected:,}")
        met = total.first_response_attainment or 0
        if not (total.resolved > 0.8 * expected and 0.75 < met < 0.95 and total.rating_count > 0.2 * total.resolved):
            problems.append(f"{where}: resolved {total.resolved:,}, {met:.0%} met, {total.rating_count:,} rated")
        full = timed.case.run is not app_home  # a glance has no pairs, percentiles or trend
        if full and (total.median_resolution_minutes is None or not report.pairs or len(report.trend) != 12):
            problems.append(f"{where}: no median resolution time, pairs or trend")
    return problems


def time_cases(database: str, engine: Engine, loaded: Loaded, args: argparse.Namespace) -> list[Timed]:
    """Each case once to warm up, then ``--repeat`` times, the cases taking turns."""
    timed = [Timed(database, case) for case in CASES]
    for _ in range(1 + args.repeat):
        for t in timed:
            with statements(engine) as sent:
                elapsed, t.reports = run_case(engine, t.case)
            t.runs_ms.append(elapsed)
            t.statements = len(sent)
    for t in timed:
        t.problems = plausible(t, loaded)
    if args.plans:
        for t in timed:
            print_plans(engine, t)
    if args.profile:
        for t in timed:
            profiler = cProfile.Profile()
            run_case(engine, t.case, profiler)
            print(f"\n{database}: {t.case.name}", file=sys.stderr)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    return timed


def print_plans(engine: Engine, timed: Timed) -> None:
    """The slowest statements of one run, with their plans (PostgreSQL: EXPLAIN ANALYZE)."""
    with statements(engine) as sent:
        run_case(engine, timed.case)
    print(f"\n{timed.database}: {timed.case.name}: {len(sent)} statements, {sum(ms for *_, ms in sent):.0f} ms")
    explain = "EXPLAIN (ANALYZE, BUFFERS)" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    for statement, parameters, ms in sorted(sent, key=lambda s: -s[2])[:6]:
        print(f"--- {ms:.1f} ms\n{statement}")
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(f"{explain} {statement}", parameters).all()
            connection.rollback()
        print("\n".join(f"  {row[-1]}" for row in rows))


# --- the run --------------------------------------------------------------------------------------------------------


def report(databases: list[Database], loaded: Loaded, generating: float, repeat: int) -> bool:
    rows = loaded.rows
    print(f"stored: {rows['requests']:,} requests, {rows['events']:,} events, {rows['outcomes']:,} outcomes, ", end="")
    print(f"{rows['ratings']:,} ratings asked (generated in {generating:.0f} s)")
    for db in databases:
        print(f"{db.name}: loaded in {db.load_s:.0f} s, analyzed in {db.settle_s:.1f} s")
    print(f"\n{'database':<11}{'report':<22}{'filed':>8}{'resolved':>9}{'open':>6}{'FR met':>7}{'res met':>8}", end="")
    print(f"{'SQL':>5}{'first ms':>9}{'median ms':>10}  target     runs after the first (ms)")
    passed = True
    for db in databases:
        for t in db.timed:
            total = t.reports[0].total
            fr, res = total.first_response_attainment, total.resolution_attainment
            print(
                f"{db.name:<11}{t.case.name:<22}{total.filed:>8,}{total.resolved:>9,}{total.open:>6,}"
                f"{(fr or 0):>7.0%}{(res or 0):>8.0%}{t.statements:>5}{t.runs_ms[0]:>9.0f}{t.median_ms:>10.1f}"
                f"  < {t.case.target_ms:<6.0f}  {' '.join(f'{ms:.0f}' for ms in t.runs_ms[1:])}"
            )
            passed &= t.passed
    print()
    for db in databases:
        for t in db.timed:
            verdict = "PASS" if t.passed else "MISS"
            target = f"< {t.case.target_ms:.0f} ms"
            print(f"{db.name}: {t.case.name}: median of {repeat} {t.median_ms:.0f} ms ({target}): {verdict}")
            for problem in t.problems:
                print(f"  implausible: {problem}")
    return passed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} requests instead of {FULL:,}")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each report after one warm-up")
    parser.add_argument("--plans", action="store_true", help="print the slowest statements of each report and plans")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one more run of each report")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    databases = args.databases.split(",")
    assert set(databases) <= {"sqlite", "postgresql"}, f"unknown database in {args.databases}"
    requests = Requests(QUICK if args.quick else FULL, make_histories())
    with tempfile.TemporaryDirectory(prefix="inhouse-reports-") as workdir, ExitStack() as stack:
        prepared = []
        for name in databases:
            fresh = stack.enter_context(sqlite_databases(Path(workdir)) if name == "sqlite" else postgres_databases())
            prepared.append(prepare(name, stack.enter_context(fresh(requests.size))))
        loaded, generating = fill(prepared, requests)
        for db in prepared:
            print(f"{db.name}: timing", file=sys.stderr, flush=True)
            db.timed = time_cases(db.name, db.engine, loaded, args)
    return 0 if report(prepared, loaded, generating, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
