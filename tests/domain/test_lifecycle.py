from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.lifecycle import Event, EventKind, State, TransitionError, apply, replay, start

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def created(provider: str = "it") -> Event:
    return Event(EventKind.CREATED, "U0REQ", T0, provider=provider)


def test_a_new_request_is_open_with_its_provider() -> None:
    status = start(created())
    assert (status.state, status.provider, status.assignee) == (State.OPEN, "it", None)


def test_acknowledging_assigns_the_clicker_and_records_the_first_response() -> None:
    status = apply(start(created()), Event(EventKind.ACKNOWLEDGED, "U0ALICE", at(5)))
    assert (status.state, status.assignee, status.first_response_at) == (State.ACKNOWLEDGED, "U0ALICE", at(5))


def test_a_second_acknowledgement_is_refused() -> None:
    status = apply(start(created()), Event(EventKind.ACKNOWLEDGED, "U0ALICE", at(5)))
    with pytest.raises(TransitionError, match="already been acknowledged"):
        apply(status, Event(EventKind.ACKNOWLEDGED, "U0BOB", at(6)))


def test_pausing_counts_as_a_first_response_and_remembers_since_when() -> None:
    status = apply(start(created()), Event(EventKind.PAUSED, "U0ALICE", at(3)))
    assert (status.state, status.waiting_since, status.first_response_at) == (State.WAITING, at(3), at(3))


def test_resuming_returns_to_work_in_progress_when_someone_was_assigned() -> None:
    events = [
        created(),
        Event(EventKind.ACKNOWLEDGED, "U0ALICE", at(1)),
        Event(EventKind.PAUSED, "U0ALICE", at(2)),
        Event(EventKind.RESUMED, "U0ALICE", at(3)),
    ]
    status = replay(events)
    assert (status.state, status.assignee, status.waiting_since) == (State.ACKNOWLEDGED, "U0ALICE", None)


def test_resuming_an_unassigned_request_reopens_it() -> None:
    status = replay([created(), Event(EventKind.PAUSED, "U0ALICE", at(2)), Event(EventKind.RESUMED, "U0BOB", at(3))])
    assert status.state is State.OPEN


def test_transfer_hands_the_request_to_another_provider_unassigned() -> None:
    events = [
        created(),
        Event(EventKind.ACKNOWLEDGED, "U0ALICE", at(1)),
        Event(EventKind.TRANSFERRED, "U0ALICE", at(2), provider="hr"),
    ]
    status = replay(events)
    assert (status.state, status.provider, status.assignee, status.first_response_at) == (State.OPEN, "hr", None, None)


def test_transfer_to_the_same_department_is_refused() -> None:
    with pytest.raises(TransitionError, match="another department"):
        apply(start(created()), Event(EventKind.TRANSFERRED, "U0ALICE", at(1), provider="it"))


def test_resolving_keeps_the_note_and_the_time() -> None:
    status = apply(start(created()), Event(EventKind.RESOLVED, "U0ALICE", at(9), note="Replaced the disk"))
    assert (status.state, status.resolved_at, status.resolution_note) == (State.RESOLVED, at(9), "Replaced the disk")
    assert status.first_response_at == at(9)


def test_a_resolved_request_takes_no_more_work_until_reopened() -> None:
    status = apply(start(created()), Event(EventKind.RESOLVED, "U0ALICE", at(9), note="done"))
    with pytest.raises(TransitionError, match="already resolved"):
        apply(status, Event(EventKind.PAUSED, "U0ALICE", at(10)))


def test_reopening_clears_the_resolution_but_keeps_the_assignee() -> None:
    events = [
        created(),
        Event(EventKind.ACKNOWLEDGED, "U0ALICE", at(1)),
        Event(EventKind.RESOLVED, "U0ALICE", at(2), note="done"),
        Event(EventKind.REOPENED, "U0ALICE", at(3)),
    ]
    status = replay(events)
    assert (status.state, status.resolved_at, status.resolution_note, status.assignee) == (
        State.ACKNOWLEDGED,
        None,
        None,
        "U0ALICE",
    )


def test_a_log_must_begin_with_the_creation() -> None:
    with pytest.raises(TransitionError):
        replay([Event(EventKind.ACKNOWLEDGED, "U0ALICE", T0)])


def test_the_requesters_answer_leaves_the_request_waiting_until_the_provider_resumes() -> None:
    waiting = replay([created(), Event(EventKind.PAUSED, "U0ALICE", at(2))])
    answered = apply(waiting, Event(EventKind.ANSWERED, "U0REQ", at(5)))
    assert answered == waiting
    with pytest.raises(TransitionError, match="can't be answered: it is open"):
        apply(start(created()), Event(EventKind.ANSWERED, "U0REQ", at(5)))
