"""The customer's clock: while a request waits on its requester, the answer they owe under the agreement's
``customer_response``, in business time on their department's calendar (kept in the promise).

It starts when the provider sets the request to wait on the requester, and stops at the requester's first answer
(a reply in the card's thread, or Reply in their DM) or when the provider ends the wait (resume, resolve,
transfer). The answer does not resume the request: the provider does, once it has what it needs. Each wait with
a clock is a cycle of its own (``customer_cycle``), so its warning and breach are raised once per wait. When it
stops, how it went is recorded for reports: met if it stopped by its due time, else breached.
"""

from datetime import datetime

from sqlmodel import Session

from bot.agreements.clocks import promise_of
from bot.domain.alerts import Metric
from bot.domain.durations import parse_duration
from bot.domain.lifecycle import Event, EventKind, State, Status
from bot.domain.sla import add_business_minutes, business_minutes_between, due_at
from storage import outcomes
from storage.models import Request

_ENDS = frozenset({EventKind.ANSWERED, EventKind.RESUMED, EventKind.RESOLVED, EventKind.TRANSFERRED})


def follow(session: Session, request: Request, before: Status, event: Event, *, provider: str) -> None:
    """Move the clock with ``event``, already applied to ``request``; ``provider`` was in charge when it happened."""
    if event.kind is EventKind.PAUSED:
        start(request, event.at)
    elif before.state is State.WAITING and event.kind in _ENDS:
        if event.kind is EventKind.ANSWERED:
            request.customer_response_at = event.at
        assert before.waiting_since is not None
        stop(session, request, before.waiting_since, event.at, provider=provider)


def start(request: Request, now: datetime) -> None:
    """A new wait on the requester: its clock runs from ``now`` if the promise asks for an answer in time."""
    request.customer_response_at = None
    promise = promise_of(request)
    calendar = promise.customer_business_calendar() if promise is not None else None
    if promise is None or calendar is None or promise.customer_response is None:
        return
    due = due_at(calendar, now, parse_duration(promise.customer_response))
    target = business_minutes_between(calendar, now, due)
    request.customer_cycle += 1
    request.customer_response_due = due
    request.customer_response_warn_at = add_business_minutes(calendar, now, round(promise.warn_at * target))


def stop(session: Session, request: Request, since: datetime, now: datetime, *, provider: str) -> None:
    """The wait that began at ``since`` is answered or over: the clock, if it ran, stops and its outcome is kept."""
    due, promise = request.customer_response_due, promise_of(request)
    if due is None:
        return
    request.customer_response_due = request.customer_response_warn_at = None
    calendar = promise.customer_business_calendar() if promise is not None else None
    if calendar is None:  # a priority change left no agreement: nothing to measure the wait against
        return
    assert request.id is not None
    outcomes.done(
        session, request.id, Metric.CUSTOMER_RESPONSE, request.customer_cycle,
        provider=provider, customer=request.requester_department_id, at=now,
        minutes=business_minutes_between(calendar, since, now), due=due,
        outcome=outcomes.MET if now <= due else outcomes.BREACHED,
    )  # fmt: skip
