"""The report's figures agree with the request records (issue 12): for a generated history, every figure of every
pair, of the total and of the 12-week trend is recomputed by brute force from the event log and compared.

The history (tests/reports/generated_history.py) is made through the real services over eight weeks; the brute
force (tests/reports/brute_force.py) reads only the raw records: each event's kind and instant and, for a filing
or a transfer, the department it goes to; each request's requester department and priority; the ratings table.
What the services record for reports (an event's provider in charge, customer and waited minutes, the SLA
outcomes) is what is being checked, so it is not read. The definitions it follows, for a period [start, end):

- The provider in charge of an event is found by replaying the log: the department a request was filed to, then
  each transfer's. The customer is the requester's department, or "unknown".
- filed, resolved and reopens count the created, resolved and reopened events in the period, for the provider in
  charge; a transfer counts out for the provider it leaves and in for the one it goes to.
- Business time is minutes on the provider's calendar, minute by minute on its wall clock. A wait on the
  requester runs from a pause to the resume, resolution or transfer that ends it; its minutes count for the
  provider in charge when it ends, at that instant.
- A clock starts when the request is filed or transferred (first response and resolution) or reopened
  (resolution). The first response is the first acknowledgement, take-over, reply, pause or resolution after
  it; the resolution, the resolution after it; a transfer first ends both. The time it took is the business time
  from the start, less the waits; median and p90 are nearest-rank over those done in the period.
- A target comes from the agreement for the provider, customer and priority (most specific match); one in working
  days ("2d") is the business time from the start to the same clock time that many working days later (from the
  first business minute at or after the start; the closing before it when that is an opening). It passes at
  its due instant: the target's business time after the start, the waits before then not counted; when that
  time runs out exactly at a closing, the due instant is the closing (as the SLA sweep and its alerts have it),
  so a response after the closing, before the next opening, is late. A target is met when the work is done at
  or before its due instant, counted when it is done; breached when it is not, counted at the due instant,
  whether or not the work is ever done, unless a transfer handed the request over before then; and whether or
  not the sweep saw it pass before a pause or a transfer stopped its clock. Attainment is met / (met + breached).
- Open at the end: filed before the end and not resolved at the end (its last resolution or reopening before
  the end was not a resolution), counted for the provider it has now: a request transferred after the end
  counts with its new provider, as the query over the request rows does. The oldest is the lowest number.
- Ratings count by when they were given (the last score given), both ways; an average only when at least
  anonymity_min (2 here) different people gave them.
- The trend: the 12 weeks, Monday to Sunday in the org's time zone, up to the period's end; per week the
  requests filed, split by customer in one provider's report and by provider otherwise, and the targets met
  and breached in it.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from bot.domain.lifecycle import EventKind
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.reports import service
from bot.reports.figures import ALL, PairFigures, Period, Report, Week
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft
from storage.db import SessionScope
from storage.feedback_models import Rating
from storage.models import Request, RequestEvent
from tests.reports import brute_force
from tests.reports.brute_force import CASES, BruteForce, Facts, Pair, RawEvent, RawRating, RawRequest
from tests.reports.generated_history import END, ORG, START, History
from tests.reports.minute_clock import MinuteCalendar

BERLIN = ZoneInfo("Europe/Berlin")
ANONYMITY_MIN = 2  # the org file's
SEEDS = [1]  # a history with every case below; others pass too, but each costs seconds per database

PERIODS: dict[str, Callable[[datetime], Period]] = {
    "the whole history": lambda now: service.dates(BERLIN, date(2026, 10, 5), date(2026, 11, 27), now=now),
    "three weeks in the middle": lambda now: service.dates(BERLIN, date(2026, 10, 19), date(2026, 11, 8)),
    "the week Berlin left DST": lambda now: service.dates(BERLIN, date(2026, 10, 19), date(2026, 10, 25)),
    "the last 30 days": lambda now: service.last_days(BERLIN, now),
}
SCOPES: list[tuple[str | None, str | None]] = [
    (None, None),
    ("it", None),
    ("it", "sales"),
    (None, "unknown"),
    ("facilities", None),  # no agreement: times and counts, no targets
    ("hr", "sales"),  # an agreement for this one customer
]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_agrees_with_a_brute_force_count_of_the_event_log(session_scope: SessionScope, seed: int) -> None:
    history = History(session_scope, seed)
    now = history.run()
    assert sorted(history.unseen) == [
        "a target passed unseen by the sweep before a pause",
        "a target passed unseen by the sweep before a transfer",
    ]
    with session_scope() as session:
        facts = brute_force_facts(session, now)
        assert [case for case in CASES if not facts.cases[case]] == [], "cases the history should exercise"
        middle = PERIODS["three weeks in the middle"](now)
        assert any(filed.reopened_after(middle.end) for filed in facts.filed), "resolved at an end, reopened after"
        for name, period_of in PERIODS.items():
            period = period_of(now)
            for provider, customer in SCOPES:
                where = f"{name}, provider={provider}, customer={customer}"
                report = service.build(session, period, now, provider=provider, customer=customer)
                pairs, total = expected_figures(facts, period, provider, customer)
                assert differences(_by_pair(report), pairs) == {}, where
                assert [(p.provider, p.customer) for p in report.pairs] == sorted(pairs), where
                assert differences({(ALL, ALL): report.total}, {(ALL, ALL): total}) == {}, where
                assert list(report.trend) == expected_trend(facts, period, provider, customer), where
        whole = service.build(session, PERIODS["the whole history"](now), now)
    assert any(pair.rating_count and pair.rating_average is None for pair in whole.pairs), "an average hidden"
    assert any(pair.rating_average is not None for pair in whole.pairs), "an average shown"


# What the comparison found, each in one small history.


def test_a_target_that_passed_before_a_pause_or_a_transfer_is_breached_though_no_sweep_saw_it(
    session_scope: SessionScope,
) -> None:
    """IT promises a first response in 4h (an urgent request: 30m, resolved in 4h). Nobody sweeps all day."""
    with session_scope() as session:
        apply_org(session, load_org_text(ORG, "org.toml"))
        late = filing.open_request(session, RequestDraft("it", "normal", "VPN"), "U0SAM", berlin(10, 12, 9)).number
        urgent = filing.open_request(session, RequestDraft("it", "urgent", "Down"), "U0SAM", berlin(10, 12, 9)).number
        requests.act(session, urgent, EventKind.ACKNOWLEDGED, "U0ALICE", berlin(10, 12, 9, 5))
        requests.transfer(session, late, "U0ALICE", "hr", berlin(10, 12, 14))  # its response was due at 13:00
        requests.act(session, urgent, EventKind.PAUSED, "U0ALICE", berlin(10, 12, 14))  # resolution due at 13:00
        requests.transfer(session, urgent, "U0ALICE", "hr", berlin(10, 12, 15))  # while waiting: no sweep sees it
        day = service.dates(BERLIN, date(2026, 10, 12), date(2026, 10, 12), now=berlin(10, 12, 16))
        report = service.build(session, day, berlin(10, 12, 16), provider="it")
    assert (report.total.first_response_met, report.total.first_response_breached) == (1, 1)
    assert (report.total.resolution_met, report.total.resolution_breached) == (0, 1)
    assert report.trend[-1].resolution_breached == 1


def test_a_request_resolved_at_the_end_and_reopened_since_was_not_open_then(session_scope: SessionScope) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(ORG, "org.toml"))
        number = filing.open_request(session, RequestDraft("it", "normal", "VPN"), "U0SAM", berlin(10, 12, 9)).number
        requests.resolve(session, number, "U0ALICE", "Restarted", berlin(10, 12, 10))
        requests.act(session, number, EventKind.REOPENED, "U0ALICE", berlin(10, 13, 10))
        monday = service.dates(BERLIN, date(2026, 10, 12), date(2026, 10, 12))
        tuesday = service.dates(BERLIN, date(2026, 10, 13), date(2026, 10, 13))
        assert service.build(session, monday, berlin(10, 14, 10)).total.open == 0
        assert service.build(session, tuesday, berlin(10, 14, 10)).total.open == 1


# The brute force's own rules, on the office calendar (09:00-17:00 in Berlin, Monday to Friday).
@cache
def office() -> MinuteCalendar:
    return MinuteCalendar(brute_force.CALENDARS["office"], START, START + timedelta(days=30))


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (berlin(10, 9, 16), 240, berlin(10, 12, 12)),  # Friday 16:00 + 4h is Monday 12:00
        (berlin(10, 9, 13), 240, berlin(10, 9, 17)),  # ending at a closing is the closing
        (berlin(10, 10, 10), 30, berlin(10, 12, 9, 30)),  # Saturday counts from Monday's opening
    ],
)
def test_business_minutes_run_in_office_hours(start: datetime, minutes: int, due: datetime) -> None:
    assert office().add(start, minutes) == due
    assert office().between(start, due) == minutes


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (berlin(10, 13, 14), 2, berlin(10, 15, 14)),  # Tuesday 14:00 + 2d is Thursday 14:00
        (berlin(10, 10, 10), 2, berlin(10, 13, 17)),  # Saturday + 2d is Tuesday's closing
        (berlin(10, 13, 9), 1, berlin(10, 13, 17)),  # from an opening, 1d is that day's closing
        (berlin(10, 13, 18), 1, berlin(10, 14, 17)),  # after closing, 1d is the next day's closing
    ],
)
def test_working_days_keep_the_clock_time(start: datetime, days: int, due: datetime) -> None:
    assert office().add_working_days(start, days) == due


def test_a_target_passes_later_by_the_business_time_spent_waiting() -> None:
    waits: list[tuple[datetime, datetime | None]] = [(berlin(10, 13, 10), berlin(10, 13, 15))]
    assert brute_force.due(office(), berlin(10, 13, 9), 240, waits) == berlin(10, 14, 10)  # 1h, wait, 2h, 1h
    assert brute_force.due(office(), berlin(10, 13, 9), 60, waits) == berlin(10, 13, 10)  # due as the wait begins
    assert brute_force.due(office(), berlin(10, 13, 9), 240, [(berlin(10, 13, 10), None)]) is None  # still waiting


def brute_force_facts(session: Session, now: datetime) -> Facts:
    """The raw records, and what the brute force makes of them."""
    events: dict[int, list[RawEvent]] = defaultdict(list)
    log = select(RequestEvent.request_id, RequestEvent.kind, RequestEvent.at, RequestEvent.provider_id)
    for number, kind, at, provider in session.exec(log.order_by(col(RequestEvent.id))):
        events[number].append(RawEvent(kind, at, provider))
    rows = session.exec(select(Request.id, Request.requester_department_id, Request.priority))
    logged = [
        RawRequest(number, customer, priority, tuple(events[number]))
        for number, customer, priority in rows
        if number is not None
    ]
    ratings = [
        RawRating(row.direction, row.from_department_id, row.to_department_id, row.rater_id, row.score, row.rated_at)
        for row in session.exec(select(Rating).where(col(Rating.score).is_not(None)))
        if row.rater_id is not None and row.score is not None and row.rated_at is not None
    ]
    return BruteForce(START - timedelta(days=1), END + timedelta(days=45)).facts(logged, ratings, now)


def expected_figures(
    facts: Facts, period: Period, provider: str | None, customer: str | None
) -> tuple[dict[Pair, PairFigures], PairFigures]:
    """The pairs of the scope, and their total."""

    def over(total: bool) -> dict[Pair, PairFigures]:
        key = brute_force.scope_key(provider, customer, total=total)
        return brute_force.figures(facts, period.start, period.end, key, ANONYMITY_MIN)

    return over(total=False), over(total=True).get((ALL, ALL), PairFigures(ALL, ALL))


def expected_trend(facts: Facts, period: Period, provider: str | None, customer: str | None) -> list[Week]:
    """The 12 weeks from Monday to Sunday in Berlin up to the period's end."""
    last_day = (period.end - timedelta(microseconds=1)).astimezone(BERLIN).date()
    monday = last_day - timedelta(days=last_day.weekday())
    days = [monday - timedelta(weeks=11 - i) for i in range(12)]
    key = brute_force.scope_key(provider, customer, total=False)
    return brute_force.trend(facts, days, BERLIN, period.end, key, by_customer=provider is not None)


def _by_pair(report: Report) -> dict[Pair, PairFigures]:
    return {(pair.provider, pair.customer): pair for pair in report.pairs}


def differences(
    actual: Mapping[Pair, PairFigures], expected: Mapping[Pair, PairFigures]
) -> dict[Pair, dict[str, tuple[object, object]]]:
    """Per pair, the figures that differ, as (the report's, the brute force's); a pair only one side has is
    listed with the figures it has."""
    found: dict[Pair, dict[str, tuple[object, object]]] = {}
    for pair in sorted({*actual, *expected}):
        empty = PairFigures(*pair)
        mine, theirs = _named(actual.get(pair, empty)), _named(expected.get(pair, empty))
        differing = {name: (mine[name], theirs[name]) for name in mine if mine[name] != theirs[name]}
        if differing or (pair in actual) != (pair in expected):
            found[pair] = differing
    return found


def _named(figures: PairFigures) -> dict[str, object]:
    """The figures by name; the oldest open request's filing as an instant (the report gives it in the org's
    time zone, and a wall-clock time of the hour that repeats never equals its UTC self in Python)."""
    named = asdict(figures)
    if figures.oldest_open is not None:
        named["oldest_open"] = (figures.oldest_open.number, figures.oldest_open.filed_at.astimezone(UTC))
    return named
