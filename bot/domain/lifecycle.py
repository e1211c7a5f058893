"""A request's states and the transitions between them, replayable from its event log."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class State(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    WAITING = "waiting"
    RESOLVED = "resolved"


class EventKind(StrEnum):
    CREATED = "created"
    ACKNOWLEDGED = "acknowledged"
    PAUSED = "paused"
    RESUMED = "resumed"
    TRANSFERRED = "transferred"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    ASSIGNED = "assigned"
    REPRIORITIZED = "reprioritized"  # the note holds the new priority
    REPLIED = "replied"  # a public reply by the provider in the card's thread
    ANSWERED = "answered"  # the requester's first answer while it waits on them (the request keeps waiting)


class TransitionError(Exception):
    """The event does not apply to the request in its current state; the message is for the user."""


@dataclass(frozen=True)
class Event:
    kind: EventKind
    actor: str
    at: datetime
    provider: str | None = None  # for CREATED and TRANSFERRED
    note: str | None = None


@dataclass(frozen=True)
class Status:
    state: State
    provider: str
    assignee: str | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    waiting_since: datetime | None = None
    resolution_note: str | None = None


_ALLOWED_FROM: dict[EventKind, frozenset[State]] = {
    EventKind.ACKNOWLEDGED: frozenset({State.OPEN}),
    EventKind.PAUSED: frozenset({State.OPEN, State.ACKNOWLEDGED}),
    EventKind.RESUMED: frozenset({State.WAITING}),
    EventKind.TRANSFERRED: frozenset({State.OPEN, State.ACKNOWLEDGED, State.WAITING}),
    EventKind.RESOLVED: frozenset({State.OPEN, State.ACKNOWLEDGED, State.WAITING}),
    EventKind.REOPENED: frozenset({State.RESOLVED}),
    EventKind.ASSIGNED: frozenset({State.OPEN, State.ACKNOWLEDGED, State.WAITING}),
    EventKind.REPRIORITIZED: frozenset({State.OPEN, State.ACKNOWLEDGED, State.WAITING}),
    EventKind.REPLIED: frozenset({State.OPEN, State.ACKNOWLEDGED, State.WAITING}),
    EventKind.ANSWERED: frozenset({State.WAITING}),
}

_REFUSALS: dict[State, str] = {
    State.OPEN: "it is open and nobody has picked it up",
    State.ACKNOWLEDGED: "it has already been acknowledged",
    State.WAITING: "it is waiting on the requester (resume it first)",
    State.RESOLVED: "it is already resolved",
}


def allowed(state: State, kind: EventKind) -> bool:
    return state in _ALLOWED_FROM.get(kind, frozenset())


def start(event: Event) -> Status:
    if event.kind is not EventKind.CREATED or event.provider is None:
        raise TransitionError("a request starts with its creation, which names the provider")
    return Status(state=State.OPEN, provider=event.provider)


def apply(status: Status, event: Event) -> Status:
    """The status after ``event``; raises TransitionError when it does not apply."""
    if not allowed(status.state, event.kind):
        raise TransitionError(f"This request can't be {event.kind.value}: {_REFUSALS[status.state]}.")
    first_response = status.first_response_at or event.at
    match event.kind:
        case EventKind.ACKNOWLEDGED:
            return replace(status, state=State.ACKNOWLEDGED, assignee=event.actor, first_response_at=first_response)
        case EventKind.ASSIGNED:  # someone takes the request over, e.g. from a breach alert
            state = State.ACKNOWLEDGED if status.state is State.OPEN else status.state
            return replace(status, state=state, assignee=event.actor, first_response_at=first_response)
        case EventKind.REPRIORITIZED | EventKind.ANSWERED:  # the provider resumes when it has what it needs
            return status
        case EventKind.REPLIED:
            return replace(status, first_response_at=first_response)
        case EventKind.PAUSED:
            return replace(status, state=State.WAITING, waiting_since=event.at, first_response_at=first_response)
        case EventKind.RESUMED:
            return replace(status, state=_working_state(status), waiting_since=None)
        case EventKind.TRANSFERRED:
            if event.provider is None or event.provider == status.provider:
                raise TransitionError("A transfer needs another department.")
            return Status(state=State.OPEN, provider=event.provider)
        case EventKind.RESOLVED:
            return replace(
                status,
                state=State.RESOLVED,
                resolved_at=event.at,
                first_response_at=first_response,
                waiting_since=None,
                resolution_note=event.note,
            )
        case _:  # REOPENED
            return replace(status, state=_working_state(status), resolved_at=None, resolution_note=None)


def _working_state(status: Status) -> State:
    return State.ACKNOWLEDGED if status.assignee else State.OPEN


def replay(events: Iterable[Event]) -> Status:
    """Recompute a request's status from its whole event log."""
    iterator = iter(events)
    status = start(next(iterator))
    for event in iterator:
        status = apply(status, event)
    return status
