"""The SLA sweep: raise each milestone a request has reached, once, and owe Slack the alerts.

Only requests whose ``next_check_at`` has come are read (an indexed column), so a sweep costs what
is due, not what is stored. Detection and the outbox rows it owes are one transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from bot.domain import alerts
from bot.domain.alerts import Level, Metric, Milestone
from bot.domain.sla import next_business_instant
from bot.services import sla_clocks
from storage import directory, outbox
from storage.models import Department, Outbox, Request, SlaAlert

BATCH = 500
SWEEP_LOCK = 0x1A5E_5EE9  # PostgreSQL advisory lock id: one sweep at a time across processes

THREAD, DM, CARD = "sla_thread", "sla_dm", "card_refresh"


@dataclass(frozen=True)
class SweepResult:
    ran: bool
    milestones: int
    owed: list[Outbox]


def sweep(session: Session, now: datetime) -> SweepResult:
    if not _take_lock(session):
        return SweepResult(ran=False, milestones=0, owed=[])
    count, owed = 0, []
    while True:
        query = (
            select(Request)
            .where(col(Request.next_check_at) <= now)
            .order_by(col(Request.next_check_at))
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        batch = list(session.exec(query))
        for request in batch:
            newly = _raise(session, request, now)
            count += len(newly)
            owed += _owe(session, request, newly, now)
        session.flush()
        if len(batch) < BATCH:
            return SweepResult(ran=True, milestones=count, owed=owed)


def _take_lock(session: Session) -> bool:
    """On PostgreSQL, skip this sweep if another process is sweeping (released at commit).

    SQLite needs nothing: its writers are serialized by BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.exec(text("SELECT pg_try_advisory_xact_lock(:id)").bindparams(id=SWEEP_LOCK)).one()[0])  # type: ignore[call-overload]


def _raise(session: Session, request: Request, now: datetime) -> list[Milestone]:
    assert request.id is not None
    raised = sla_clocks.raised(session, request)
    clocks = sla_clocks.clocks(request)
    newly = alerts.reached(clocks, raised, now)
    for milestone in newly:
        session.add(
            SlaAlert(
                request_id=request.id,
                metric=milestone.metric,
                level=milestone.level,
                cycle=request.sla_cycle,
                due_at=milestone.at,
                raised_at=now,
            )
        )
    request.next_check_at = alerts.next_check(clocks, raised | {(m.metric, m.level) for m in newly})
    session.add(request)
    return alerts.worth_announcing(newly, raised)


def _owe(session: Session, request: Request, milestones: list[Milestone], now: datetime) -> list[Outbox]:
    return [row for milestone in milestones for row in _owe_one(session, request, milestone, now)]


def _owe_one(session: Session, request: Request, milestone: Milestone, now: datetime) -> list[Outbox]:
    """The messages one milestone owes: DMs to people, a note in the card's thread, the card itself."""
    base = f"sla:{request.id}:{request.sla_cycle}:{milestone.metric}:{milestone.level}"
    payload: dict[str, Any] = {
        "number": request.id,
        "metric": milestone.metric,
        "level": milestone.level,
        "due": _due(request, milestone.metric).isoformat(),
        "cycle": request.sla_cycle,
    }

    def owe(suffix: str, kind: str, recipient: str, body: dict[str, Any], deliver_after: datetime) -> Outbox | None:
        return outbox.enqueue(session, key=f"{base}:{suffix}", kind=kind, recipient=recipient, payload=body,
                              deliver_after=deliver_after, now=now, request_id=request.id)  # fmt: skip

    at_work = _working_hours(session, request, now)
    owed = [owe(person, DM, person, payload, at_work) for person in _recipients(session, request, milestone)]
    if request.card_channel and request.card_ts:
        unassigned_warning = milestone.level is Level.WARNING and request.assignee_id is None
        thread = {**payload, "channel": request.card_channel, "thread_ts": request.card_ts,
                  "broadcast": unassigned_warning}  # fmt: skip
        if milestone.level is not Level.REMINDER:
            owed.append(owe("thread", THREAD, request.card_channel, thread, now))
        if milestone.level is Level.BREACH:
            owed.append(owe("card", CARD, request.card_channel, thread, now))
    return [row for row in owed if row is not None]


def _due(request: Request, metric: Metric) -> datetime:
    due = request.first_response_due if metric is Metric.FIRST_RESPONSE else request.resolution_due
    assert due is not None, "a milestone was reached on a clock that is not running"
    return due


def _recipients(session: Session, request: Request, milestone: Milestone) -> list[str]:
    """Warnings go to the assignee; breaches to the managers; reminders to managers and escalation."""
    if milestone.level is Level.WARNING:
        return [request.assignee_id] if request.assignee_id else []
    managers = directory.managers_of(session, request.provider_id)
    if milestone.level is Level.REMINDER and milestone.metric is Metric.RESOLUTION:
        department = session.get(Department, request.provider_id)
        escalation = department.escalate_to if department is not None else []
        return list(dict.fromkeys([*managers, *escalation]))
    return managers


def _working_hours(session: Session, request: Request, now: datetime) -> datetime:
    """Managers hear of a breach at 03:00 when their next shift starts."""
    promise = sla_clocks.promise_of(request)
    return next_business_instant(promise.business_calendar(), now) if promise else now
