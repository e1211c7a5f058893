"""The SLA sweep: raise each milestone a request has reached, once, and owe Slack the alerts.

Only requests whose ``next_check_at`` has come are read (an indexed column), so a sweep costs what
is due, not what is stored. Detection and the outbox rows it owes are one transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from bot.agreements import clocks as sla_clocks
from bot.domain import alerts
from bot.domain.alerts import Level, Metric, Milestone
from bot.domain.sla import next_business_instant
from bot.slack.outbox import dm_lane, request_lane
from storage import directory, outbox, outcomes
from storage.models import Department, Request, SlaAlert

BATCH = 500
SWEEP_LOCK = 0x1A5E_5EE9  # PostgreSQL advisory lock id: one sweep at a time across processes

THREAD, DM, CARD = "sla_thread", "sla_dm", "card_refresh"
CUSTOMER_DM = "customer_dm"  # the customer's side: the requester's reminder, their managers' breach (own digests)


@dataclass(frozen=True)
class SweepResult:
    ran: bool
    milestones: int
    owed: int  # outbox rows written


def sweep(session: Session, now: datetime) -> SweepResult:
    """A few statements per batch of due requests, not per request: the cost is the due work."""
    if not _take_lock(session):
        return SweepResult(ran=False, milestones=0, owed=0)
    count, owed, people = 0, 0, _People(session)
    while True:
        query = (
            select(Request)
            .where(col(Request.next_check_at) <= now)
            .order_by(col(Request.next_check_at), col(Request.id))  # a digest lists requests by number
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        batch = list(session.exec(query))
        raised = sla_clocks.raised_by_request(session, batch)
        messages: list[dict[str, Any]] = []
        for request in batch:
            newly = _raise(session, request, raised.get(request.id, set()), now)
            count += len(newly)
            messages += _owe(request, newly, now, people)
        owed += outbox.enqueue_many(session, messages)
        session.flush()
        if len(batch) < BATCH:
            return SweepResult(ran=True, milestones=count, owed=owed)


class _People:
    """Managers and escalation contacts by provider, looked up once per sweep."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._managers: dict[str, list[str]] = {}
        self._escalation: dict[str, list[str]] = {}

    def managers(self, provider: str) -> list[str]:
        if provider not in self._managers:
            self._managers[provider] = directory.managers_of(self.session, provider)
        return self._managers[provider]

    def escalation(self, provider: str) -> list[str]:
        if provider not in self._escalation:
            department = self.session.get(Department, provider)
            self._escalation[provider] = list(department.escalate_to) if department is not None else []
        return self._escalation[provider]


def _take_lock(session: Session) -> bool:
    """On PostgreSQL, skip this sweep if another process is sweeping (released at commit).

    SQLite needs nothing: its writers are serialized by BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.exec(text("SELECT pg_try_advisory_xact_lock(:id)").bindparams(id=SWEEP_LOCK)).one()[0])  # type: ignore[call-overload]


def _raise(session: Session, request: Request, raised: set[tuple[Metric, Level]], now: datetime) -> list[Milestone]:
    assert request.id is not None
    clocks = sla_clocks.clocks(request)
    newly = alerts.reached(clocks, raised, now)
    for milestone in newly:
        cycle = sla_clocks.cycle_of(request, milestone.metric)
        session.add(
            SlaAlert(
                request_id=request.id,
                metric=milestone.metric,
                level=milestone.level,
                cycle=cycle,
                due_at=milestone.at,
                raised_at=now,
            )
        )
        if milestone.level is Level.BREACH:
            outcomes.breached(
                session, request.id, milestone.metric, cycle,
                provider=request.provider_id, customer=request.requester_department_id, due=milestone.at,
            )  # fmt: skip
    request.next_check_at = alerts.next_check(clocks, raised | {(m.metric, m.level) for m in newly})
    session.add(request)
    return alerts.worth_announcing(newly, raised)


def _owe(request: Request, milestones: list[Milestone], now: datetime, people: _People) -> list[dict[str, Any]]:
    return [row for milestone in milestones for row in _owe_one(request, milestone, now, people)]


def _owe_one(request: Request, milestone: Milestone, now: datetime, people: _People) -> list[dict[str, Any]]:
    """The outbox rows one milestone owes: DMs to people, a note in the card's thread, the card itself.

    The customer's clock warns the requester and tells their managers of a breach, in the customer's working
    hours; the provider's channel hears of its breach only.
    """
    customer = milestone.metric is Metric.CUSTOMER_RESPONSE
    cycle = sla_clocks.cycle_of(request, milestone.metric)
    base = f"sla:{request.id}:{cycle}:{milestone.metric}:{milestone.level}"
    payload: dict[str, Any] = {
        "number": request.id,
        "metric": milestone.metric.value,
        "level": milestone.level.value,
        "due": _due(request, milestone.metric).isoformat(),
        "cycle": cycle,
    }
    rows: list[dict[str, Any]] = []

    def owe(suffix: str, kind: str, recipient: str, body: dict[str, Any], deliver_after: datetime, lane: str) -> None:
        rows.append({"key": f"{base}:{suffix}", "kind": kind, "recipient": recipient, "payload": body, "lane": lane,
                     "deliver_after": deliver_after, "created_at": now, "request_id": request.id})  # fmt: skip

    recipients = _recipients(request, milestone, people)
    at_work = _working_hours(request, now, customer=customer) if recipients else now
    for person in recipients:
        owe(person, CUSTOMER_DM if customer else DM, person, payload, at_work, dm_lane(person))
    if request.card_channel and request.card_ts:
        unassigned_warning = milestone.level is Level.WARNING and request.assignee_id is None
        thread = {**payload, "channel": request.card_channel, "thread_ts": request.card_ts,
                  "broadcast": unassigned_warning}  # fmt: skip
        if milestone.level is Level.BREACH or (milestone.level is Level.WARNING and not customer):
            owe("thread", THREAD, request.card_channel, thread, now, request_lane(request.id))
        if milestone.level is Level.BREACH:
            owe("card", CARD, request.card_channel, thread, now, request_lane(request.id))
    return rows


def _due(request: Request, metric: Metric) -> datetime:
    due = {
        Metric.FIRST_RESPONSE: request.first_response_due,
        Metric.RESOLUTION: request.resolution_due,
        Metric.CUSTOMER_RESPONSE: request.customer_response_due,
    }[metric]
    assert due is not None, "a milestone was reached on a clock that is not running"
    return due


def _recipients(request: Request, milestone: Milestone, people: _People) -> list[str]:
    """Warnings go to the assignee; breaches to the managers; reminders to managers and escalation."""
    if milestone.metric is Metric.CUSTOMER_RESPONSE:
        return _customer_recipients(request, milestone, people)
    if milestone.level is Level.WARNING:
        return [request.assignee_id] if request.assignee_id else []
    managers = people.managers(request.provider_id)
    if milestone.level is Level.REMINDER:
        return list(dict.fromkeys([*managers, *people.escalation(request.provider_id)]))
    return managers


def _customer_recipients(request: Request, milestone: Milestone, people: _People) -> list[str]:
    """The requester is reminded before the answer is due; their department's managers hear of a breach."""
    if milestone.level is Level.WARNING:
        return [request.requester_id]
    return people.managers(request.requester_department_id) if request.requester_department_id else []


def _working_hours(request: Request, now: datetime, *, customer: bool) -> datetime:
    """Managers hear of a breach at 03:00 when their next shift starts: the provider's, or the customer's."""
    promise = sla_clocks.promise_of(request)
    calendar = (promise.customer_business_calendar() if customer else promise.business_calendar()) if promise else None
    return next_business_instant(calendar, now) if calendar else now
