"""The org is read once per applied org file, and every reader sees the org the database holds."""

from datetime import timedelta

from sqlalchemy import Engine

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests.service import RequestDraft
from storage import org_snapshot
from storage.db import session_factory
from tests.fakes.clock import FixedClock
from tests.orgs import TEST_ORG


def _apply(engine: Engine, text: str) -> None:
    with session_factory(engine)() as session:
        apply_org(session, load_org_text(text, "org.toml"))


def _first_response_due(engine: Engine, clock: FixedClock) -> timedelta:
    with session_factory(engine, read_only=True)() as session:
        prepared = filing.prepare_filing(session, RequestDraft("it", "normal", "VPN down"), "U0SAM", clock())
    assert prepared.request.first_response_due is not None
    return prepared.request.first_response_due - clock()


def test_a_reader_sees_an_org_file_applied_after_the_last_read(engine: Engine, clock: FixedClock) -> None:
    _apply(engine, TEST_ORG)
    assert _first_response_due(engine, clock) == timedelta(hours=4)
    _apply(engine, TEST_ORG.replace('first_response = "4h"', 'first_response = "2h"'))
    assert _first_response_due(engine, clock) == timedelta(hours=2)


def test_readers_of_one_applied_org_share_one_snapshot(engine: Engine) -> None:
    _apply(engine, TEST_ORG)
    with session_factory(engine, read_only=True)() as first, session_factory(engine, read_only=True)() as second:
        assert org_snapshot.current(first) is org_snapshot.current(second)


def test_a_department_that_left_the_org_file_takes_no_new_requests(engine: Engine, clock: FixedClock) -> None:
    _apply(engine, TEST_ORG)
    _first_response_due(engine, clock)  # the snapshot with HR in it is kept
    without_hr = (
        TEST_ORG.split("[departments.hr]")[0] + "[departments.sales]" + TEST_ORG.split("[departments.sales]")[1]
    )
    _apply(engine, without_hr.split('[[agreements]]\nprovider = "hr"')[0])
    with session_factory(engine, read_only=True)() as session:
        snapshot = org_snapshot.current(session)
    assert snapshot.active_department("hr") is None
    assert snapshot.departments["hr"].name == "People & Culture"  # its old requests still show it
