"""Filing a request: the reads happen before the writer's turn, which then writes only the request's rows and
owes its messages (the card, the requester's confirmation) with one INSERT."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from bot.errors import NotFound
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing, outbound
from bot.requests import service as requests
from bot.requests.service import RequestDraft, RequestSnapshot
from storage import outbox
from storage.db import session_factory
from storage.models import Request, UserHome
from tests.fakes.clock import FixedClock
from tests.orgs import TEST_ORG, org_without_hr


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _org(engine: Engine, text: str = TEST_ORG) -> None:
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(text, "org.toml"))


def _prepare(engine: Engine, draft: RequestDraft, now: datetime, requester: str = "U0SAM") -> filing.Filing:
    """The reads of a filing, in a read-only scope as the submission handler does them."""
    with session_factory(engine, read_only=True)() as session:
        return filing.prepare_filing(session, draft, requester, now)


def _file(engine: Engine, prepared: filing.Filing) -> RequestSnapshot:
    with session_factory(engine)() as session:
        filed = filing.file_request(session, prepared)
    assert filed is not None
    return filed


def test_the_writer_turn_of_a_filing_checks_the_org_version_writes_and_owes_its_messages_at_once(
    engine: Engine, clock: FixedClock
) -> None:
    _org(engine)
    prepared = _prepare(engine, RequestDraft("it", "normal", "VPN down"), clock())
    with statements(engine) as seen, session_factory(engine)() as session:
        filed = filing.file_request(session, prepared)
        assert filed is not None
        outbound.filed(session, filed, clock())
    # the org version; the request, its event, its card's key (known once the request has its number); the messages
    assert [kind for kind in seen if kind not in ("BEGIN", "COMMIT")] == [
        "SELECT",
        "INSERT",
        "INSERT",
        "UPDATE",
        "INSERT",
    ]
    with session_factory(engine)() as session:
        stored = session.get(Request, filed.number)
        owed = outbox.by_status(session, outbox.PENDING)
        assert stored is not None
        assert stored.card_key == f"request:{filed.number}:card:0"
        assert [(row.key, row.recipient) for row in owed] == [
            (f"request:{filed.number}:card:0", "C0IT"),
            (f"request:{filed.number}:filed", "U0SAM"),
        ]
        assert (stored.first_response_due, stored.resolution_due) == (filed.first_response_due, filed.resolution_due)
        assert stored.next_check_at is not None
        assert filed.first_response_due is not None
        assert stored.next_check_at < filed.first_response_due  # its first check is the warning


def test_a_filed_request_shows_what_a_fresh_lookup_shows(engine: Engine, clock: FixedClock) -> None:
    _org(engine)
    prepared = _prepare(engine, RequestDraft("it", "urgent", "VPN down"), clock())
    filed = _file(engine, prepared)
    with session_factory(engine)() as session:
        assert requests.get(session, filed.number) == filed


def test_an_org_file_applied_between_the_reads_and_the_write_is_the_one_filed_under(
    engine: Engine, clock: FixedClock
) -> None:
    _org(engine)
    prepared = _prepare(engine, RequestDraft("it", "normal", "VPN down"), clock())
    _org(engine, TEST_ORG.replace('first_response = "4h"', 'first_response = "2h"'))
    filed = _file(engine, prepared)
    assert filed.first_response_due == clock() + timedelta(hours=2)


def test_a_department_that_left_the_org_between_the_reads_and_the_write_is_not_filed_to(
    engine: Engine, clock: FixedClock
) -> None:
    _org(engine)
    prepared = _prepare(engine, RequestDraft("hr", "normal", "Payslip"), clock())
    _org(engine, org_without_hr())
    with pytest.raises(NotFound):
        _file(engine, prepared)


def test_filing_remembers_the_department_a_requester_named(engine: Engine, clock: FixedClock) -> None:
    _org(engine)
    draft = RequestDraft("it", "normal", "VPN down", requester_department_id="sales")
    prepared = _prepare(engine, draft, clock(), requester="U0NEW")
    filed = _file(engine, prepared)
    with session_factory(engine)() as session:
        home = session.get(UserHome, "U0NEW")
    assert (home.department_id if home else None, filed.requester_department_name) == ("sales", "Sales")


def test_a_second_filing_from_the_same_modal_writes_nothing(engine: Engine, clock: FixedClock) -> None:
    """Two submissions of one view, both past the handler's look-up: the second finds the first in its write."""
    _org(engine)
    draft = RequestDraft("it", "normal", "VPN down", requester_department_id="sales")
    with session_factory(engine, read_only=True)() as session:
        twins = [filing.prepare_filing(session, draft, "U0NEW", clock(), view_id="V0TWIN") for _ in range(2)]
    first = _file(engine, twins[0])
    with session_factory(engine)() as session:
        assert filing.file_request(session, twins[1]) is None
        assert requests.filed_from(session, "V0TWIN") == first.number
    with session_factory(engine)() as session:
        assert [(r.id, r.view_id) for r in session.exec(select(Request))] == [(first.number, "V0TWIN")]
        assert len(requests.history(session, first.number)) == 1
