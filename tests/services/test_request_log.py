"""The event log is the truth: replaying it gives the request row's state and times."""

from datetime import timedelta

from bot.domain.lifecycle import EventKind, replay
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft
from storage.db import SessionScope
from storage.models import Request
from tests.fakes.clock import FixedClock
from tests.orgs import TEST_ORG


def test_replaying_the_log_gives_the_stored_state_and_times(session_scope: SessionScope, clock: FixedClock) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(TEST_ORG, "org.toml"))
        number = filing.open_request(session, RequestDraft("it", "normal", "VPN down"), "U0SAM", clock()).number
        for minutes, kind, actor in [
            (5, EventKind.ACKNOWLEDGED, "U0ALICE"),
            (9, EventKind.PAUSED, "U0ALICE"),
            (30, EventKind.RESUMED, "U0ALICE"),
        ]:
            requests.act(session, number, kind, actor, clock() + timedelta(minutes=minutes))
        requests.resolve(session, number, "U0ALICE", "Restarted the VPN", clock() + timedelta(minutes=45))
        requests.act(session, number, EventKind.REOPENED, "U0BOB", clock() + timedelta(hours=2))
    with session_scope() as session:
        status = replay(requests.history(session, number))
        row = session.get(Request, number)
    assert row is not None
    assert (status.state, status.provider, status.assignee) == (row.state, row.provider_id, row.assignee_id)
    assert (status.first_response_at, status.resolved_at, status.waiting_since) == (
        row.first_response_at,
        row.resolved_at,
        row.waiting_since,
    )
    assert status.first_response_at == clock() + timedelta(minutes=5)
