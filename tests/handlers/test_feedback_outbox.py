# ruff: noqa: F811  (the fixture keyed, imported from feedback_kit, is an argument)
"""Every message of feedback arrives exactly once, whatever Slack or the process does at the moment it is due.

The messages: the notice to the department (of signed and of anonymous feedback), a signed author's confirmation,
a manager's reply (to a signed author's DM, to an anonymous author's DM through the link only the key opens), the
note under the feedback, the weekly digest. What goes wrong when one is due: Slack answers 500, or 429 with
Retry-After, or posts it and the answer is lost; or the process dies between the commit and the send (the sender
never woken, or dead right after Slack took the message). Then the clock moves on, a sender drains, and the
message is there once. The app's sender is woken only by the test here, so each message goes when it says.
An anonymous feedback's rows are deleted once sent: no row is left but sent ones.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.feedback.digest_outbound import owe_feedback_digests
from bot.ids import Action, BlockId, Callback
from bot.slack.sender import LEASE, Sender
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.signing import plain_value
from tests.fakes.slack_api import FakeSlack
from tests.handlers.feedback_kit import click_in, give_feedback, keyed, outbox_rows, submit_view  # noqa: F401
from tests.handlers.harness import Harness, Json

NEXT_MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
REPLY = "Thanks, we are on it"


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


class DiesAfterPosting(WebClient):
    """Slack takes the message, then the sender's process dies before it can record that."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        response = super().api_call(api_method, **kwargs)
        if api_method == "chat.postMessage":
            raise Crash
        return response


@dataclass(frozen=True)
class Message:
    """One kind of message: how to bring it to the point where it is the next one due, and how to find it."""

    name: str
    due: Callable[[Harness], None]  # leaves the message owed, the next one the sender tries
    copies: Callable[[Harness], list[int]]  # how many times it is there (the digest: one count per manager)
    method: str = "chat.postMessage"  # the call that fails when it is due


@dataclass(frozen=True)
class Failure:
    name: str
    arm: Callable[[FakeSlack, str], None]
    wait_s: float  # how long the sender waits before it tries again


def _sender(inhouse: Harness) -> Sender:
    return inhouse.running.deps.outbox


def _feedback(inhouse: Harness, *, anonymous: bool = False) -> None:
    give_feedback(inhouse, "U0SAM", anonymous=anonymous)


def _reply(inhouse: Harness) -> None:
    message = inhouse.slack.messages("C0IT")[-1]
    opened = len(inhouse.slack.calls_to("views.open"))
    click_in(inhouse, "C0IT", message, Action.FEEDBACK_REPLY, "U0ITMGR")
    inhouse.slack.wait_for("views.open", count=opened + 1)
    response = submit_view(
        inhouse, "U0ITMGR", Callback.FEEDBACK_REPLY, {BlockId.REPLY: {Action.REPLY: plain_value(REPLY)}}
    )
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()


def notice_due(inhouse: Harness, *, anonymous: bool = False) -> None:
    _feedback(inhouse, anonymous=anonymous)  # the notice is owed first


def confirmation_due(inhouse: Harness) -> None:
    _feedback(inhouse)
    _sender(inhouse).step()  # the notice


def reply_due(inhouse: Harness, *, anonymous: bool = False) -> None:
    _feedback(inhouse, anonymous=anonymous)
    _sender(inhouse).drain()
    _reply(inhouse)


def note_due(inhouse: Harness, *, anonymous: bool = False) -> None:
    reply_due(inhouse, anonymous=anonymous)
    _sender(inhouse).step()  # the reply: once sent, its row owes the note


def digest_due(inhouse: Harness) -> None:
    _feedback(inhouse)
    _sender(inhouse).drain()
    inhouse.clock.set(NEXT_MONDAY)
    with inhouse.session_scope() as session:
        assert len(owe_feedback_digests(session, NEXT_MONDAY).new) == 2  # IT's manager, Sales's manager


def notices(inhouse: Harness) -> list[Json]:
    return [m for m in inhouse.slack.messages("C0IT") if "feedback for it support" in m["text"].lower()]


def confirmations(inhouse: Harness) -> list[Json]:
    return [m for m in inhouse.dms_to("U0SAM") if m["text"].startswith("Your feedback to IT Support")]


def notice_copies(inhouse: Harness) -> list[int]:
    return [len(notices(inhouse))]


def confirmation_copies(inhouse: Harness) -> list[int]:
    return [len(confirmations(inhouse))]


def reply_copies_in_dm(inhouse: Harness) -> list[int]:
    return [len([m for m in inhouse.dms_to("U0SAM") if "replied to your feedback" in m["text"]])]


def note_copies(inhouse: Harness) -> list[int]:
    (notice,) = notices(inhouse)
    return [len(inhouse.slack.replies("C0IT", notice["ts"]))]


def digest_copies(inhouse: Harness) -> list[int]:
    """IT's manager's digest (owed first), then Sales's."""
    return [
        len([m for m in inhouse.dms_to(manager) if m["text"].startswith("Feedback digest for")])
        for manager in ("U0ITMGR", "U0SALESMGR")
    ]


MESSAGES = [
    Message("notice", notice_due, notice_copies),
    Message("anonymous notice", lambda h: notice_due(h, anonymous=True), notice_copies),
    Message("confirmation", confirmation_due, confirmation_copies),
    Message("reply by DM", reply_due, reply_copies_in_dm),
    Message("reply to an anonymous author", lambda h: reply_due(h, anonymous=True), reply_copies_in_dm),
    Message("note", note_due, note_copies),
    Message("anonymous feedback's note", lambda h: note_due(h, anonymous=True), note_copies),
    Message("digest", digest_due, digest_copies),
]

FAILURES = [
    Failure("500", lambda slack, method: slack.fail_next(method, error="internal_error", status=500), 2),
    Failure("429", lambda slack, method: slack.fail_next(method, status=429, retry_after=30), 30),
    Failure("answer lost", lambda slack, method: slack.drop_next(method, after_handling=True), 2),
]


@pytest.fixture
def stepped(keyed: Harness, monkeypatch: pytest.MonkeyPatch) -> Harness:
    """The app (with INHOUSE_SECRET_KEY), its sender woken by the test only (as if each handler had died right
    after its commit)."""
    monkeypatch.setattr(_sender(keyed), "wake", lambda: None)
    return keyed


def _arrived_once(inhouse: Harness, message: Message) -> None:
    assert set(message.copies(inhouse)) == {1}
    rows = outbox_rows(inhouse)
    assert {row.status for row in rows} <= {"sent"}, [(row.key, row.status, row.last_error) for row in rows]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda failure: failure.name)
@pytest.mark.parametrize("message", MESSAGES, ids=lambda message: message.name)
def test_slack_failing_when_it_is_due_delays_the_message_which_then_arrives_once(
    stepped: Harness, message: Message, failure: Failure
) -> None:
    inhouse = stepped
    message.due(inhouse)
    failure.arm(inhouse.slack, message.method)
    assert _sender(inhouse).drain().retrying == 1
    inhouse.clock.advance(seconds=failure.wait_s - 1)
    _sender(inhouse).drain()  # not due again yet
    posted_anyway = failure.name == "answer lost" and message.method == "chat.postMessage"
    assert message.copies(inhouse)[0] == (1 if posted_anyway else 0)
    inhouse.clock.advance(seconds=1)
    _sender(inhouse).drain()
    _arrived_once(inhouse, message)


@pytest.mark.parametrize("message", [m for m in MESSAGES if m.method == "chat.postMessage"], ids=lambda m: m.name)
def test_owed_when_the_process_died_it_arrives_once(stepped: Harness, message: Message) -> None:
    inhouse = stepped
    message.due(inhouse)
    assert message.copies(inhouse)[0] == 0
    inhouse.clock.advance(minutes=5)
    _sender(inhouse).drain()
    _arrived_once(inhouse, message)


@pytest.mark.parametrize("message", [m for m in MESSAGES if m.method == "chat.postMessage"], ids=lambda m: m.name)
def test_a_sender_that_died_right_after_slack_took_the_message_does_not_send_it_twice(
    stepped: Harness, message: Message
) -> None:
    inhouse = stepped
    message.due(inhouse)
    sender = _sender(inhouse)
    client = sender.client
    sender.client = DiesAfterPosting(token=BOT_TOKEN, base_url=inhouse.slack.base_url, retry_handlers=[])
    with pytest.raises(Crash):
        sender.drain()
    sender.client = client
    assert message.copies(inhouse)[0] == 1
    _sender(inhouse).drain()  # its lease has not run out: nobody takes it over yet
    inhouse.clock.advance(seconds=LEASE.total_seconds() + 1)
    _sender(inhouse).drain()
    _arrived_once(inhouse, message)
