"""The report's figures recomputed by brute force, in plain Python, from the raw records of a history.

It reads only the event log (each event's kind and instant, and for a filing or a transfer the department it goes
to), each request's requester department and priority, and the ratings table; the provider in charge, the waits,
the business time (tests/reports/minute_clock.py) and the targets are worked out here. The definitions are in
tests/reports/test_figures_agree.py's docstring.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.reports.figures import ALL, UNKNOWN_CUSTOMER, OldestOpen, PairFigures, Week
from tests.reports.minute_clock import UTC, Calendar, MinuteCalendar

Pair = tuple[str, str]
Wait = tuple[datetime, datetime | None]  # from the pause to the change that ended it (None: still waiting)

# The org file's calendars (tests/reports/generated_history.py's ORG), and which department works on which.
CALENDARS = {
    "office": Calendar("Europe/Berlin", frozenset(range(5)), ((540, 1020),), "DE"),
    "workshop": Calendar("America/New_York", frozenset(range(6)), ((420, 690), (750, 1080)), "US"),
}
CALENDAR_OF = {"it": "office", "hr": "office", "facilities": "workshop"}
# The org file's agreements: (provider, customer, priority) -> (first response, resolution); "*" matches any.
AGREEMENTS = {
    ("it", "*", "*"): ("4h", "2d"),
    ("it", "*", "urgent"): ("30m", "4h"),
    ("hr", "*", "*"): ("1d", "5d"),
    ("hr", "sales", "*"): ("2h", "1d"),
}
METRICS = ("first_response", "resolution")
RESPONSES = {"acknowledged", "assigned", "replied", "paused", "resolved"}  # each is a first response
WAIT_ENDS = {"resumed": "resume", "resolved": "resolution", "transferred": "transfer"}

# What a history should exercise; the brute force counts each as it meets it (Facts.cases).
CASES = (
    "a request from an unknown department",
    "a first response by a reply in the card's thread",
    "a wait ended by a resume",
    "a wait ended by a resolution",
    "a wait ended by a transfer",
    "a resolution clock restarted by a reopen",
    "a target in working days",
    "a target met",
    "a target met after a wait",
    "a target breached, then done",
    "a target breached and never done",
    "a target due at a closing, done after it before the next opening",
    "a target handed over to another department before it was due",
)


def target(provider: str, customer: str, priority: str, metric: str) -> str | None:
    """The agreement's target, the most specific match winning (customer before priority); None without one."""
    for key in [(provider, customer, priority), (provider, customer, "*"), (provider, "*", priority)]:
        if key in AGREEMENTS:
            return AGREEMENTS[key][METRICS.index(metric)]
    terms = AGREEMENTS.get((provider, "*", "*"))
    return terms[METRICS.index(metric)] if terms else None


def target_minutes(calendar: MinuteCalendar, start: datetime, agreed: str) -> int:
    amount, unit = int(agreed[:-1]), agreed[-1]
    if unit == "d":
        return calendar.between(start, calendar.add_working_days(start, amount))
    return amount * (60 if unit == "h" else 1)


def due(calendar: MinuteCalendar, start: datetime, minutes: int, waits: list[Wait]) -> datetime | None:
    """When a target passes: ``minutes`` of business time after ``start``, the waits before then not counted
    (None: not within the history)."""
    left, since = minutes, start
    for paused, resumed in waits:
        passes = calendar.add(since, left)
        if passes is None or passes <= paused:
            return passes
        left -= calendar.between(since, paused)
        if resumed is None:
            return None
        since = resumed
    return calendar.add(since, left)


@dataclass(frozen=True)
class RawEvent:
    kind: str
    at: datetime
    provider_id: str | None  # where a filing or a transfer goes


@dataclass(frozen=True)
class RawRequest:
    number: int
    customer: str | None  # the requester's department
    priority: str
    events: tuple[RawEvent, ...]  # in log order


@dataclass(frozen=True)
class RawRating:
    direction: str
    from_department: str | None
    to_department: str | None
    rater: str
    score: int
    at: datetime


@dataclass(frozen=True)
class Fact:
    """Something that counts for a pair at an instant: an event, a wait's minutes, a target met or breached."""

    name: str
    provider: str
    customer: str
    at: datetime
    value: int = 1


@dataclass(frozen=True)
class Done:
    """A first response or a resolution, and its business minutes."""

    metric: str
    provider: str
    customer: str
    at: datetime
    minutes: int


@dataclass(frozen=True)
class Filed:
    """A request as the open backlog sees it: when filed, when resolved or reopened, its provider now."""

    number: int
    provider: str
    customer: str
    filed_at: datetime
    toggles: tuple[tuple[datetime, bool], ...]  # (instant, resolved from then on)

    def open_at(self, end: datetime) -> bool:
        return self.filed_at < end and not self.resolved_at(end)

    def resolved_at(self, end: datetime) -> bool:
        resolved = [is_resolved for at, is_resolved in self.toggles if at < end]
        return bool(resolved) and resolved[-1]

    def reopened_after(self, end: datetime) -> bool:
        """Resolved at ``end``, and reopened since."""
        return self.resolved_at(end) and any(not is_resolved for at, is_resolved in self.toggles if at >= end)


@dataclass
class Facts:
    facts: list[Fact] = field(default_factory=list)
    done: list[Done] = field(default_factory=list)
    filed: list[Filed] = field(default_factory=list)
    ratings: list[RawRating] = field(default_factory=list)
    cases: Counter[str] = field(default_factory=Counter)  # how often each of CASES happened


@dataclass
class Clock:
    """One run of a metric's clock: from its start to its response or resolution, or to a transfer."""

    metric: str
    provider: str
    start: datetime
    done: datetime | None = None
    handed_over: datetime | None = None


class Replay:
    """One request's log replayed: who was in charge of each event, its clocks, its waits, its resolutions."""

    def __init__(self, request: RawRequest, facts: Facts) -> None:
        self.request, self.facts = request, facts
        self.customer = request.customer or UNKNOWN_CUSTOMER
        self.provider = ""
        self.clocks: list[Clock] = []
        self.running: dict[str, Clock] = {}
        self.waits: list[Wait] = []
        self.toggles: list[tuple[datetime, bool]] = []
        facts.cases["a request from an unknown department"] += request.customer is None

    def count(self, name: str, at: datetime, value: int = 1, provider: str | None = None) -> None:
        self.facts.facts.append(Fact(name, provider or self.provider, self.customer, at, value))

    def start(self, metrics: Iterable[str], at: datetime) -> None:
        for metric in metrics:
            self.running[metric] = Clock(metric, self.provider, at)
            self.clocks.append(self.running[metric])

    def stop(self, metric: str, at: datetime) -> None:
        if self.running[metric].done is None:
            self.running[metric].done = at

    def end_wait(self, at: datetime, by: str, calendar: MinuteCalendar) -> None:
        if self.waits and self.waits[-1][1] is None:
            self.waits[-1] = (paused := self.waits[-1][0], at)
            self.count("waiting_on_requester_minutes", at, calendar.between(paused, at))
            self.facts.cases[f"a wait ended by a {by}"] += 1

    def apply(self, event: RawEvent, calendar: Callable[[str], MinuteCalendar]) -> None:
        at = event.at
        if event.kind in WAIT_ENDS:
            self.end_wait(at, WAIT_ENDS[event.kind], calendar(self.provider))
        if event.kind in RESPONSES:
            self.stop("first_response", at)
        match event.kind:
            case "created":
                assert event.provider_id is not None
                self.provider = event.provider_id
                self.count("filed", at)
                self.start(METRICS, at)
            case "transferred":
                assert event.provider_id is not None
                self.count("transfers_out", at)
                self.count("transfers_in", at, provider=event.provider_id)
                for clock in self.running.values():
                    clock.handed_over = at if clock.done is None else None
                self.provider = event.provider_id
                self.start(METRICS, at)
            case "reopened":
                self.count("reopens", at)
                self.toggles.append((at, False))
                self.start(["resolution"], at)
                self.facts.cases["a resolution clock restarted by a reopen"] += 1
            case "paused":
                self.waits.append((at, None))
            case "resolved":
                self.count("resolved", at)
                self.toggles.append((at, True))
                self.stop("resolution", at)
            case "replied":
                self.facts.cases["a first response by a reply in the card's thread"] += 1


class BruteForce:
    def __init__(self, origin: datetime, until: datetime) -> None:
        self.calendars = {name: MinuteCalendar(spec, origin, until) for name, spec in CALENDARS.items()}

    def calendar(self, provider: str) -> MinuteCalendar:
        return self.calendars[CALENDAR_OF[provider]]

    def facts(self, requests: Iterable[RawRequest], ratings: Iterable[RawRating], now: datetime) -> Facts:
        facts = Facts(ratings=list(ratings))
        for request in requests:
            replay = Replay(request, facts)
            for event in request.events:
                replay.apply(event, self.calendar)
            filed_at = request.events[0].at
            facts.filed.append(Filed(request.number, replay.provider, replay.customer, filed_at, tuple(replay.toggles)))
            for clock in replay.clocks:
                self._judge(clock, replay, now)
        return facts

    def _judge(self, clock: Clock, replay: Replay, now: datetime) -> None:
        """The clock's business minutes if done; met or breached, and when, if a target applies."""
        calendar, customer, facts = self.calendar(clock.provider), replay.customer, replay.facts
        stopped = clock.done or clock.handed_over or now
        waits = [(paused, resumed) for paused, resumed in replay.waits if clock.start <= paused < stopped]
        if clock.done is not None:
            waited = sum(calendar.between(paused, min(resumed or clock.done, clock.done)) for paused, resumed in waits)
            worked = calendar.between(clock.start, clock.done) - waited
            facts.done.append(Done(clock.metric, clock.provider, customer, clock.done, worked))
        agreed = target(clock.provider, customer, replay.request.priority, clock.metric)
        if agreed is None:
            return
        passes = due(calendar, clock.start, target_minutes(calendar, clock.start, agreed), waits)
        facts.cases["a target in working days"] += agreed.endswith("d")
        if clock.done is not None and (passes is None or clock.done <= passes):
            facts.facts.append(Fact(f"{clock.metric}_met", clock.provider, customer, clock.done))
            facts.cases["a target met after a wait" if waits else "a target met"] += 1
        elif passes is not None and passes <= now and (clock.handed_over is None or passes <= clock.handed_over):
            facts.facts.append(Fact(f"{clock.metric}_breached", clock.provider, customer, passes))
            facts.cases["a target breached, then done" if clock.done else "a target breached and never done"] += 1
            if clock.done and not calendar.between(passes, clock.done):
                facts.cases["a target due at a closing, done after it before the next opening"] += 1
        elif clock.handed_over is not None:
            facts.cases["a target handed over to another department before it was due"] += 1


def nearest_rank(values: list[int], share: tuple[int, int]) -> int | None:
    """The smallest value with at least numerator/denominator of the values at or below it."""
    if not values:
        return None
    numerator, denominator = share
    return sorted(values)[-(-len(values) * numerator // denominator) - 1]


def average(ratings: list[RawRating], anonymity_min: int) -> float | None:
    if len({rating.rater for rating in ratings}) < anonymity_min:
        return None
    return sum(rating.score for rating in ratings) / len(ratings)


Key = Callable[[str, str], Pair | None]  # a (provider, customer)'s key in the report, None when out of scope


def scope_key(provider: str | None, customer: str | None, *, total: bool) -> Key:
    def key(pair_provider: str, pair_customer: str) -> Pair | None:
        if provider is not None and pair_provider != provider:
            return None
        if customer is not None and pair_customer != customer:
            return None
        return (ALL, ALL) if total else (pair_provider, pair_customer)

    return key


@dataclass
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    minutes: dict[str, list[int]] = field(default_factory=lambda: {metric: [] for metric in METRICS})
    backlog: list[Filed] = field(default_factory=list)
    rated: dict[str, list[RawRating]] = field(
        default_factory=lambda: {"customer_to_provider": [], "provider_to_customer": []}
    )


def figures(facts: Facts, start: datetime, end: datetime, key: Key, anonymity_min: int) -> dict[Pair, PairFigures]:
    """Every figure of the pairs (or of the total) over [start, end); a pair with nothing to show is left out."""
    tallies: dict[Pair, _Tally] = defaultdict(_Tally)
    for fact in facts.facts:
        if start <= fact.at < end and (pair := key(fact.provider, fact.customer)):
            tallies[pair].counts[fact.name] += fact.value
    for done in facts.done:
        if start <= done.at < end and (pair := key(done.provider, done.customer)):
            tallies[pair].minutes[done.metric].append(done.minutes)
    for filed in facts.filed:
        if filed.open_at(end) and (pair := key(filed.provider, filed.customer)):
            tallies[pair].backlog.append(filed)
    for rating in facts.ratings:
        provider, customer = (
            (rating.to_department, rating.from_department)
            if rating.direction == "customer_to_provider"
            else (rating.from_department, rating.to_department)
        )
        assert provider is not None
        if start <= rating.at < end and (pair := key(provider, customer or UNKNOWN_CUSTOMER)):
            tallies[pair].rated[rating.direction].append(rating)
    shown = {pair: _figures(pair, tally, anonymity_min) for pair, tally in tallies.items()}
    return {pair: figures for pair, figures in shown.items() if figures != PairFigures(*pair)}


def _figures(pair: Pair, tally: _Tally, anonymity_min: int) -> PairFigures:
    counts, minutes, rated = tally.counts, tally.minutes, tally.rated
    oldest = min(tally.backlog, key=lambda filed: filed.number, default=None)
    return PairFigures(
        provider=pair[0],
        customer=pair[1],
        filed=counts["filed"],
        resolved=counts["resolved"],
        open=len(tally.backlog),
        oldest_open=OldestOpen(oldest.number, oldest.filed_at) if oldest else None,
        first_response_met=counts["first_response_met"],
        first_response_breached=counts["first_response_breached"],
        resolution_met=counts["resolution_met"],
        resolution_breached=counts["resolution_breached"],
        median_first_response_minutes=nearest_rank(minutes["first_response"], (1, 2)),
        p90_first_response_minutes=nearest_rank(minutes["first_response"], (9, 10)),
        median_resolution_minutes=nearest_rank(minutes["resolution"], (1, 2)),
        p90_resolution_minutes=nearest_rank(minutes["resolution"], (9, 10)),
        waiting_on_requester_minutes=counts["waiting_on_requester_minutes"],
        transfers_in=counts["transfers_in"],
        transfers_out=counts["transfers_out"],
        reopens=counts["reopens"],
        rating_average=average(rated["customer_to_provider"], anonymity_min),
        rating_count=len(rated["customer_to_provider"]),
        request_rating_average=average(rated["provider_to_customer"], anonymity_min),
        request_rating_count=len(rated["provider_to_customer"]),
    )


def trend(facts: Facts, days: list[date], zone: ZoneInfo, end: datetime, key: Key, by_customer: bool) -> list[Week]:
    """Per week (from its first day's midnight in ``zone``; the last one ends at ``end``): filed, split by the other
    side (the customer in one provider's report, else the provider), and the targets met and breached in it."""
    starts = [datetime.combine(day, time(), zone).astimezone(UTC) for day in days]
    ends = [*starts[1:], end]
    filed: list[Counter[str]] = [Counter() for _ in days]
    targets: list[Counter[str]] = [Counter() for _ in days]
    for fact in facts.facts:
        if starts[0] <= fact.at < end and key(fact.provider, fact.customer):
            week = next(i for i, week_end in enumerate(ends) if fact.at < week_end)
            if fact.name == "filed":
                filed[week][fact.customer if by_customer else fact.provider] += 1
            elif fact.name.endswith(("_met", "_breached")):
                targets[week][fact.name] += 1
    return [
        Week(
            start=day,
            filed=sum(filed[i].values()),
            filed_by=dict(filed[i]),
            first_response_met=targets[i]["first_response_met"],
            first_response_breached=targets[i]["first_response_breached"],
            resolution_met=targets[i]["resolution_met"],
            resolution_breached=targets[i]["resolution_breached"],
        )
        for i, day in enumerate(days)
    ]
