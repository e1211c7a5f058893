"""The customer's clock is the domain's business-time clock on the customer's calendar: its start checked against
the minute-by-minute oracle of tests/domain/test_sla_clock.py, its stops (and what they record) on a database."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from bot.agreements import clocks as sla_clocks
from bot.agreements import customer_clock
from bot.agreements.promises import Promise
from bot.domain import alerts
from bot.domain.alerts import Level, Metric
from bot.domain.lifecycle import EventKind, State
from bot.domain.sla import BusinessCalendar, add_working_days
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft
from storage.db import SessionScope
from storage.models import Request, SlaOutcome
from tests.domain.test_sla_clock import calendars, oracle_add, oracle_between, starts
from tests.orgs import SALES_IN_NEW_YORK

FILED = datetime(2026, 11, 23, 9, tzinfo=UTC)  # Monday 10:00 Berlin, 04:00 New York
NEW_YORK = BusinessCalendar("America/New_York", frozenset(range(5)), ((540, 1020),))


def waiting_request(provider: BusinessCalendar, customer: BusinessCalendar, answer: str, warn_at: float) -> Request:
    promise = Promise(1, "4h", "2d", "office", provider.to_dict(), warn_at, answer, customer.to_dict())
    return Request(id=1, provider_id="it", requester_id="U0SAM", requester_department_id="sales", priority="normal",
                   description="", state=State.WAITING, created_at=FILED, updated_at=FILED,
                   promise=promise.to_dict())  # fmt: skip


@given(calendars(), calendars(), starts(), st.integers(1, 2 * 1440), st.sampled_from([0.5, 0.75, 0.9]))
def test_a_wait_is_due_and_warned_on_the_customers_calendar(
    provider: BusinessCalendar, customer: BusinessCalendar, paused_at: datetime, minutes: int, warn_at: float
) -> None:
    request = waiting_request(provider, customer, f"{minutes}m", warn_at)
    customer_clock.start(request, paused_at)
    due, warn = oracle_add(customer, paused_at, minutes), oracle_add(customer, paused_at, round(warn_at * minutes))
    assert (request.customer_response_due, request.customer_response_warn_at) == (due, warn)
    assert (request.customer_cycle, request.customer_response_at) == (1, None)
    watched = sla_clocks.clocks(request)  # while waiting, the sweep watches the customer's clock alone
    assert alerts.milestones(watched) == [
        alerts.Milestone(Metric.CUSTOMER_RESPONSE, Level.WARNING, warn),
        alerts.Milestone(Metric.CUSTOMER_RESPONSE, Level.BREACH, due),
    ]


@given(calendars(), starts(), st.integers(1, 3))
def test_working_days_are_the_customers_working_days(
    customer: BusinessCalendar, paused_at: datetime, days: int
) -> None:
    request = waiting_request(BusinessCalendar.always_open("UTC"), customer, f"{days}d", 0.75)
    customer_clock.start(request, paused_at)
    due = add_working_days(customer, paused_at, days)  # the domain's rule (tests/domain), on their calendar
    warn = oracle_add(customer, paused_at, round(0.75 * oracle_between(customer, paused_at, due)))
    assert (request.customer_response_due, request.customer_response_warn_at) == (due, warn)


def test_without_customer_response_or_a_known_department_no_clock_starts() -> None:
    request = waiting_request(NEW_YORK, NEW_YORK, "4h", 0.75)
    assert request.promise is not None
    for missing in ({"customer_response": None}, {"customer_calendar": None}):
        request.promise = {**request.promise, **missing}
        customer_clock.start(request, FILED)
        assert (request.customer_response_due, request.customer_cycle) == (None, 0)


# --- on a database: where it stops, and what it records ------------------------------------------------------------


def _waiting(session_scope: SessionScope, paused_at: datetime) -> int:
    with session_scope() as session:
        apply_org(session, load_org_text(SALES_IN_NEW_YORK, "org.toml"))
        number = filing.open_request(session, RequestDraft("it", "normal", "VPN down"), "U0SAM", FILED).number
        requests.act(session, number, EventKind.PAUSED, "U0ALICE", paused_at, note="Which VPN?")
    return number


def _end(session_scope: SessionScope, number: int, how: str, at: datetime) -> None:
    with session_scope() as session:
        match how:
            case "answered":
                requests.answer(session, number, "U0SAM", at)
            case "resumed":
                requests.act(session, number, EventKind.RESUMED, "U0ALICE", at)
            case "resolved":
                requests.resolve(session, number, "U0ALICE", "Done", at)
            case _:
                requests.transfer(session, number, "U0ALICE", "hr", at)


@pytest.mark.parametrize("how", ["answered", "resumed", "resolved", "transferred"])
@pytest.mark.parametrize("after", [timedelta(hours=6, minutes=30), timedelta(days=1, hours=9)])
def test_the_clock_stops_and_records_how_long_on_the_customers_calendar(
    session_scope: SessionScope, how: str, after: timedelta
) -> None:
    paused_at = FILED + timedelta(hours=1)
    number = _waiting(session_scope, paused_at)
    _end(session_scope, number, how, paused_at + after)
    with session_scope() as session:
        request = session.get(Request, number)
        assert request is not None
        (outcome,) = session.exec(select(SlaOutcome).where(SlaOutcome.metric == Metric.CUSTOMER_RESPONSE))
    assert (request.customer_response_due, request.customer_response_warn_at) == (None, None)
    assert request.customer_response_at == (paused_at + after if how == "answered" else None)
    due = oracle_add(NEW_YORK, paused_at, 240)  # Monday 13:00 in New York
    late = paused_at + after > due
    assert (outcome.request_id, outcome.cycle, outcome.provider_id, outcome.customer_id) == (number, 1, "it", "sales")
    assert (outcome.due_at, outcome.outcome, outcome.decided_at) == (due, "breached" if late else "met",
                                                                     due if late else paused_at + after)  # fmt: skip
    assert (outcome.done_at, outcome.minutes) == (
        paused_at + after,
        oracle_between(NEW_YORK, paused_at, paused_at + after),
    )


def test_only_the_first_answer_of_a_wait_stops_it(session_scope: SessionScope) -> None:
    number = _waiting(session_scope, FILED)
    for minutes in (30, 45):
        _end(session_scope, number, "answered", FILED + timedelta(hours=5, minutes=minutes))
    with session_scope() as session:
        kinds = [event.kind for event in requests.history(session, number)]
        request = session.get(Request, number)
    assert kinds == ["created", "paused", "answered"]
    assert request is not None
    assert (request.state, request.customer_response_at) == ("waiting", FILED + timedelta(hours=5, minutes=30))
