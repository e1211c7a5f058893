"""Use cases of a request: file it, work it, look it up. No Slack here, and no commit."""

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.agreements import clocks as sla_clocks
from bot.agreements import customer_clock, outcomes
from bot.agreements.promises import Provider, promise_for
from bot.domain import lifecycle
from bot.domain.alerts import Level, Metric
from bot.domain.feedback import RequestRating
from bot.domain.lifecycle import Event, EventKind, Priority, State, Status
from bot.domain.services import Answer
from bot.errors import NotAllowed, NotFound
from storage import directory, org_snapshot
from storage import feedback as feedback_store
from storage.models import Department, Request, RequestEvent

OPEN_STATES = (State.OPEN, State.ACKNOWLEDGED, State.WAITING)
INHOUSE = "Inhouse"  # the actor of what Inhouse does itself (moving the open requests of a department that left)


@dataclass(frozen=True)
class Source:
    """The Slack message a request was turned from, and its link."""

    channel: str
    ts: str
    link: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class RequestDraft:
    provider_id: str
    priority: str
    description: str
    needed_by: date | None = None
    requester_department_id: str | None = None  # asked only when we do not know it
    service_id: str | None = None  # what it asks for, from the provider's catalog
    answers: tuple[Answer, ...] = ()  # to that service's fields
    source: Source | None = None  # the message it was turned from
    requester: str | None = None  # whom it is from, when not the person filing it (a message's author)


class ShownProvider(Provider, Protocol):
    """What a snapshot shows of a provider: an ORM row or the org snapshot's copy."""

    @property
    def name(self) -> str: ...

    @property
    def channel(self) -> str: ...


@dataclass(frozen=True)
class RequestSnapshot:
    """What the views need to show a request, detached from the session."""

    number: int
    provider_id: str
    provider_name: str
    provider_channel: str
    requester_id: str
    requester_department_name: str | None
    priority: str
    description: str
    needed_by: date | None
    state: State
    assignee_id: str | None
    created_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    resolution_note: str | None
    card_channel: str | None
    card_ts: str | None
    overdue: tuple[Metric, ...] = ()
    ratings: tuple[RequestRating, ...] = ()  # shown on the card once given
    card_key: str | None = None  # the outbox row that posts the current card (its ts is card_ts once posted)
    event_id: int | None = None  # the log event of the change this snapshot comes from; None for a lookup
    service_name: str | None = None  # the service it was filed for, if any
    answers: tuple[Answer, ...] = ()  # to that service's fields
    source: Source | None = None  # the message it was turned from
    customer_response_due: datetime | None = None  # while it waits on the requester: when their answer is due
    customer_response_at: datetime | None = None  # while it waits on the requester: when they answered


def card_key(number: int, k: int = 0) -> str:
    """The outbox key of a request's ``k``-th card: 0 when it is filed, one more at each transfer."""
    return f"request:{number}:card:{k}"


def _next_card_key(request: Request) -> str:
    assert request.id is not None
    k = int(request.card_key.rsplit(":", 1)[1]) + 1 if request.card_key else 1
    return card_key(request.id, k)


def act(
    session: Session, number: int, kind: EventKind, actor: str, now: datetime, note: str | None = None
) -> RequestSnapshot:
    """Acknowledge, pause (``note``: what the provider asks the requester), resume or reopen."""
    request = _request(session, number)
    _require_staff(session, request.provider_id, actor)
    event_id = _transition(session, request, Event(kind, actor, now, note=note))
    return replace(snapshot(session, request), event_id=event_id)


def resolve(session: Session, number: int, actor: str, note: str, now: datetime) -> RequestSnapshot:
    request = _request(session, number)
    _require_staff(session, request.provider_id, actor)
    event_id = _transition(session, request, Event(EventKind.RESOLVED, actor, now, note=note))
    return replace(snapshot(session, request), event_id=event_id)


def transfer(
    session: Session, number: int, actor: str, to_department: str, now: datetime, note: str | None = None
) -> RequestSnapshot:
    """Hand the request to another department, under that department's agreement from now on, with a new card."""
    request = _request(session, number)
    _require_staff(session, request.provider_id, actor)
    return _move(session, request, actor, to_department, now, note)


def move_away(session: Session, number: int, to_department: str, now: datetime, note: str) -> RequestSnapshot:
    """Transfer a request as Inhouse itself (``INHOUSE``): its department left the org file."""
    return _move(session, _request(session, number), INHOUSE, to_department, now, note)


def _move(
    session: Session, request: Request, actor: str, to_department: str, now: datetime, note: str | None
) -> RequestSnapshot:
    provider = _department(session, to_department)
    event = Event(EventKind.TRANSFERRED, actor, now, provider=provider.id, note=note)
    event_id = _transition(session, request, event)
    request.sla_cycle += 1  # both clocks start again, under the new provider's agreement
    apply_promise(session, request, provider, now)
    sla_clocks.schedule_next_check(session, request)
    request.card_channel = request.card_ts = None
    request.card_key = _next_card_key(request)
    session.add(request)
    session.flush()
    return replace(snapshot(session, request), event_id=event_id)


def change_priority(session: Session, number: int, actor: str, priority: str, now: datetime) -> RequestSnapshot:
    """A new priority may mean another agreement: its targets apply, counting what was already used."""
    request = _request(session, number)
    _require_staff(session, request.provider_id, actor)
    if priority not in set(Priority):
        raise NotFound(f"There is no priority {priority!r}.")
    if priority == request.priority:
        return snapshot(session, request)  # no change, no event: nothing to announce
    event_id = _transition(session, request, Event(EventKind.REPRIORITIZED, actor, now, note=priority))
    request.priority = priority
    provider = _department(session, request.provider_id)
    promise = promise_for(session, provider, request.requester_department_id, priority, request.service_id)
    sla_clocks.retarget(request, promise, now)
    sla_clocks.schedule_next_check(session, request)
    session.add(request)
    session.flush()
    return replace(snapshot(session, request), event_id=event_id)


def record_reply(session: Session, channel: str, thread_ts: str, author: str, now: datetime) -> RequestSnapshot | None:
    """A reply under the card that changes the request: the provider's first public reply (its first response), or
    the requester's first answer while it waits on them (which stops the customer's clock). The request, if so.

    Idempotent, so Slack's redelivery of the same message event changes nothing.
    """
    query = select(Request).where(Request.card_channel == channel, Request.card_ts == thread_ts)
    request = session.exec(query.with_for_update()).first()
    if request is None:
        return None
    if _answers(request, author):
        kind = EventKind.ANSWERED
    elif request.first_response_at is None and request.state != State.RESOLVED:
        if not directory.is_staff(session, request.provider_id, author):
            return None
        kind = EventKind.REPLIED
    else:
        return None
    event_id = _transition(session, request, Event(kind, author, now))
    return replace(snapshot(session, request), event_id=event_id)


def answer(session: Session, number: int, author: str, now: datetime) -> RequestSnapshot:
    """The requester answers from their DM (the answer itself goes in the card's thread). While the request waits
    on them, their first answer is logged and stops the customer's clock; later ones only go in the thread."""
    request = _request(session, number)
    _require_requester(request, author)
    if not _answers(request, author):
        return snapshot(session, request)
    event_id = _transition(session, request, Event(EventKind.ANSWERED, author, now))
    return replace(snapshot(session, request), event_id=event_id)


def _require_requester(request: Request, user: str) -> None:
    if user != request.requester_id:
        raise NotAllowed(f"Only the requester of #{request.id} can answer here.")


def _answers(request: Request, author: str) -> bool:
    """Whether ``author`` answering now is the requester's first answer since the request began waiting on them."""
    return author == request.requester_id and request.state == State.WAITING and request.customer_response_at is None


def question(session: Session, number: int) -> str | None:
    """What the provider asked the requester when it last set the request to wait on them (the pause's note)."""
    query = (
        select(RequestEvent.note)
        .where(RequestEvent.request_id == number, RequestEvent.kind == EventKind.PAUSED)
        .order_by(col(RequestEvent.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def check_staff(session: Session, number: int, actor: str) -> RequestSnapshot:
    """The request, if ``actor`` may work it; raises NotAllowed or NotFound otherwise."""
    request = _request(session, number, lock=False)
    _require_staff(session, request.provider_id, actor)
    return snapshot(session, request)


def check_requester(session: Session, number: int, user: str) -> RequestSnapshot:
    """The request, if ``user`` filed it; raises NotAllowed or NotFound otherwise."""
    request = _request(session, number, lock=False)
    _require_requester(request, user)
    return snapshot(session, request)


def attach_card(session: Session, number: int, key: str, channel: str, ts: str) -> None:
    """Where card ``key`` was posted, if it is still the request's card (a transfer may have replaced it).

    One UPDATE, without loading the row: it runs when the sender records the card as sent.
    """
    statement = (
        update(Request)
        .where(col(Request.id) == number, col(Request.card_key) == key)
        .values(card_channel=channel, card_ts=ts)
    )
    session.connection().execute(statement)


def set_card_key(session: Session, number: int, key: str) -> None:
    """Name the outbox row that posts the request's card. One UPDATE, in the writer's turn of a filing."""
    session.connection().execute(update(Request).where(col(Request.id) == number).values(card_key=key))


def filed_from(session: Session, view_id: str) -> int | None:
    """The number of the request filed from the modal ``view_id``, if one was."""
    return session.exec(select(Request.id).where(Request.view_id == view_id)).first()


def get(session: Session, number: int) -> RequestSnapshot:
    return snapshot(session, _request(session, number))


def open_requests_of(session: Session, requester: str) -> list[RequestSnapshot]:
    query = select(Request).where(Request.requester_id == requester, col(Request.state).in_(OPEN_STATES))
    return [snapshot(session, r) for r in session.exec(query.order_by(col(Request.id)))]


def open_queue(session: Session, department_id: str) -> list[RequestSnapshot]:
    query = select(Request).where(Request.provider_id == department_id, col(Request.state).in_(OPEN_STATES))
    return [snapshot(session, r) for r in session.exec(query.order_by(col(Request.id)))]


def queues_of(session: Session, user: str) -> list[tuple[str, list[RequestSnapshot]]]:
    """The open queue of each department the user works in, with the department's name: the Home tab's."""
    queues = []
    for department_id in directory.staff_departments(session, user):
        department = directory.get_department(session, department_id)
        if department is not None:
            queues.append((department.name, open_queue(session, department_id)))
    return queues


def departments(session: Session) -> list[tuple[str, str]]:
    """The active departments as (id, name), by name: what the request and transfer modals offer."""
    return [(d.id, d.name) for d in directory.active_departments(session)]


def knows_home(session: Session, user: str) -> bool:
    """Whether the user's own department is known (from the org file, or because they told us)."""
    return directory.home_department(session, user) is not None


def history(session: Session, number: int) -> list[Event]:
    query = select(RequestEvent).where(RequestEvent.request_id == number).order_by(col(RequestEvent.id))
    return [
        Event(EventKind(row.kind), row.actor_id, row.at, provider=row.provider_id, note=row.note)
        for row in session.exec(query)
    ]


def snapshot(session: Session, request: Request) -> RequestSnapshot:
    assert request.id is not None
    provider = session.get(Department, request.provider_id)
    assert provider is not None
    customer = session.get(Department, request.requester_department_id) if request.requester_department_id else None
    return snapshot_of(
        request,
        provider,
        customer.name if customer is not None else None,
        overdue=_overdue(session, request),
        ratings=tuple(feedback_store.request_ratings(session, request.id)),
        service_name=_service_name(session, request.service_id),
    )


def _source(request: Request) -> Source | None:
    if request.source_channel is None or request.source_ts is None or request.source_link is None:
        return None
    return Source(request.source_channel, request.source_ts, request.source_link)


def _service_name(session: Session, service_id: str | None) -> str | None:
    service = org_snapshot.current(session).services.get(service_id) if service_id else None
    return service.name if service is not None else None


def snapshot_of(
    request: Request,
    provider: ShownProvider,
    customer_name: str | None,
    *,
    overdue: tuple[Metric, ...] = (),
    ratings: tuple[RequestRating, ...] = (),
    service_name: str | None = None,
) -> RequestSnapshot:
    assert request.id is not None
    return RequestSnapshot(
        number=request.id,
        provider_id=provider.id,
        provider_name=provider.name,
        provider_channel=provider.channel,
        requester_id=request.requester_id,
        requester_department_name=customer_name,
        priority=request.priority,
        description=request.description,
        needed_by=request.needed_by,
        state=State(request.state),
        assignee_id=request.assignee_id,
        created_at=request.created_at,
        first_response_due=request.first_response_due,
        resolution_due=request.resolution_due,
        first_response_at=request.first_response_at,
        resolved_at=request.resolved_at,
        resolution_note=request.resolution_note,
        card_channel=request.card_channel,
        card_ts=request.card_ts,
        overdue=overdue,
        ratings=ratings,
        card_key=request.card_key,
        service_name=service_name,
        answers=tuple(Answer.from_dict(answer) for answer in request.answers or ()),
        source=_source(request),
        customer_response_due=request.customer_response_due,
        customer_response_at=request.customer_response_at,
    )


def _overdue(session: Session, request: Request) -> tuple[Metric, ...]:
    """Metrics whose breach was raised in this cycle and whose clock still runs (the customer's: this wait's)."""
    running = {
        Metric.FIRST_RESPONSE: request.first_response_at is None,
        Metric.RESOLUTION: request.resolved_at is None,
        Metric.CUSTOMER_RESPONSE: request.customer_response_due is not None,
    }
    breached = {metric for metric, level in sla_clocks.raised(session, request) if level is Level.BREACH}
    return tuple(metric for metric in Metric if metric in breached and running[metric])


def _request(session: Session, number: int, *, lock: bool = True) -> Request:
    # Row lock on PostgreSQL so two simultaneous clicks apply one after the other
    # (SQLite already serializes writers with BEGIN IMMEDIATE).
    request = session.get(Request, number, with_for_update=lock)
    if request is None:
        raise NotFound(f"There is no request #{number}.")
    return request


def _department(session: Session, department_id: str) -> Department:
    department = directory.get_department(session, department_id)
    if department is None:
        raise NotFound(f"There is no department {department_id!r}.")
    return department


def _require_staff(session: Session, department_id: str, user: str) -> None:
    if not directory.is_staff(session, department_id, user):
        department = _department(session, department_id)
        raise NotAllowed(f"Only members and managers of {department.name} can work on its requests.")


def apply_promise(session: Session, request: Request, provider: Provider, now: datetime) -> None:
    promise = promise_for(session, provider, request.requester_department_id, request.priority, request.service_id)
    request.promise = promise.to_dict() if promise else None
    request.first_response_due = request.resolution_due = None
    sla_clocks.start(request, sla_clocks.METRICS, now)


def _status(request: Request) -> Status:
    return Status(
        state=State(request.state),
        provider=request.provider_id,
        assignee=request.assignee_id,
        first_response_at=request.first_response_at,
        resolved_at=request.resolved_at,
        waiting_since=request.waiting_since,
        resolution_note=request.resolution_note,
    )


def _transition(session: Session, request: Request, event: Event) -> int:
    """Apply ``event`` to the request and log it; the log row's id (what the messages it owes are keyed by)."""
    assert request.id is not None
    before = _status(request)
    department = request.provider_id  # the provider in charge when it happens (a transfer leaves it)
    waited = outcomes.waited(session, request, before, event)
    status = lifecycle.apply(before, event)
    request.state = status.state
    request.provider_id = status.provider
    request.assignee_id = status.assignee
    request.first_response_at = status.first_response_at
    request.resolved_at = status.resolved_at
    request.waiting_since = status.waiting_since
    request.resolution_note = status.resolution_note
    request.updated_at = event.at
    _move_clocks(request, event)
    session.add(request)
    event_id = _append(session, request, event, department=department, waited=waited)
    outcomes.record(session, request, before, event, partial(history, session, request.id))
    customer_clock.follow(session, request, before, event, provider=department)
    sla_clocks.schedule_next_check(session, request)
    return event_id


def _move_clocks(request: Request, event: Event) -> None:
    match event.kind:
        case EventKind.PAUSED:
            sla_clocks.pause(request, event.at)
        case EventKind.RESUMED:
            sla_clocks.resume(request, event.at)
        case EventKind.REOPENED:
            request.sla_cycle += 1  # the resolution clock restarts; its earlier breach still counts
            sla_clocks.start(request, (Metric.RESOLUTION,), event.at)


def _append(session: Session, request: Request, event: Event, *, department: str, waited: float | None) -> int:
    assert request.id is not None
    row = event_row(request.id, event, department=department, customer=request.requester_department_id)
    row.waited_minutes = waited
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def event_row(request_id: int, event: Event, *, department: str, customer: str | None) -> RequestEvent:
    """The event log's row for ``event``, which happened while ``department`` provided for ``customer``."""
    return RequestEvent(
        request_id=request_id,
        kind=event.kind,
        actor_id=event.actor,
        at=event.at,
        provider_id=event.provider,
        note=event.note,
        department_id=department,
        customer_id=customer,
    )
