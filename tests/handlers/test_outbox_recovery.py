"""A sender that dies mid-delivery: after its lease, another delivers what it had not, and only that."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.sla import delivery as notify
from bot.sla import sweep as sla_sweep
from tests.handlers.harness import Harness

BREACHED = datetime(2026, 11, 23, 13, 1, tzinfo=UTC)  # the test org's first response was due at 13:00 UTC


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


class DiesAfterPosting(WebClient):
    """Slack accepts the message, then the sender's process dies before it can record that."""

    def chat_postMessage(self, **kwargs: Any) -> Any:
        super().chat_postMessage(**kwargs)
        raise Crash


class DiesBeforePosting(WebClient):
    def chat_postMessage(self, **kwargs: Any) -> Any:
        raise Crash


def _breach_owed(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM")
    inhouse.clock.set(BREACHED)
    with inhouse.session_scope() as session:
        sla_sweep.sweep(session, BREACHED)


def _crashing_delivery(inhouse: Harness, client_class: type[WebClient]) -> None:
    deps = inhouse.running.deps
    client = client_class(token=deps.slack.token, base_url=deps.slack.base_url)
    with pytest.raises(Crash):
        notify.deliver(deps, BREACHED, client)


def test_a_message_slack_got_before_the_crash_is_not_sent_again(inhouse: Harness) -> None:
    _breach_owed(inhouse)
    _crashing_delivery(inhouse, DiesAfterPosting)  # the breach note reached the card's thread, then the crash
    (card,) = inhouse.slack.messages("C0IT")
    assert len(inhouse.slack.replies("C0IT", card["ts"])) == 1
    inhouse.clock.set(BREACHED + notify.LEASE + timedelta(seconds=1))
    inhouse.tick()
    inhouse.tick()
    assert len(inhouse.slack.replies("C0IT", card["ts"])) == 1
    assert len(inhouse.dms_to("U0ITMGR")) == 1


def test_a_message_lost_in_the_crash_is_sent_after_the_lease(inhouse: Harness) -> None:
    _breach_owed(inhouse)
    _crashing_delivery(inhouse, DiesBeforePosting)
    inhouse.clock.set(BREACHED + timedelta(minutes=1))
    inhouse.tick()
    assert inhouse.dms_to("U0ITMGR") == []  # still leased to the sender that died
    inhouse.clock.set(BREACHED + notify.LEASE + timedelta(seconds=1))
    inhouse.tick()
    assert len(inhouse.dms_to("U0ITMGR")) == 1
