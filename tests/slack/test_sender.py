"""The one sender: every owed message arrives exactly once, in order per lane, across Slack's failures and crashes."""

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot.slack import outbox as owed
from bot.slack.message import Message
from bot.slack.sender import LEASE, PACE, Call, Kinds, Sender
from storage import outbox
from storage.db import SessionScope
from storage.models import Outbox
from tests.fakes.clock import FixedClock
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-test"
DIGEST = "test_digest"


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


def render_digest(_session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    keys = ", ".join(row.key for row in rows)
    return Call(owed.POST, {"channel": rows[0].recipient, "text": f"digest: {keys}"})


KINDS = Kinds(renderers={DIGEST: render_digest}, batchable=frozenset({DIGEST}))


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def client_for(fake: FakeSlack, cls: type[WebClient] = WebClient) -> WebClient:
    return cls(token=TOKEN, base_url=fake.base_url, retry_handlers=[], timeout=5)


def sender(session_scope: SessionScope, fake: FakeSlack, clock: FixedClock, cls: type[WebClient] = WebClient) -> Sender:
    return Sender(session_scope, client_for(fake, cls), clock, KINDS)


def owe(session_scope: SessionScope, clock: FixedClock, *messages: owed.Owed) -> None:
    with session_scope() as session:
        owed.owe(session, messages, clock())


def text(words: str) -> Message:
    return Message(text=words)


def rows(session_scope: SessionScope) -> dict[str, Outbox]:
    with session_scope() as session:
        return {
            row.key: row
            for status in ("pending", "sending", "sent", "dead")
            for row in outbox.by_status(session, status)
        }


def test_a_lane_goes_in_the_order_it_was_owed_with_threads_and_updates_after_their_post(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    owe(
        session_scope,
        clock,
        owed.post("card", "C1", text("the card"), lane="r1"),
        owed.update("card-2", "C1", text("the card, updated"), of="card", lane="r1"),
        owed.post("note", "C1", text("a note"), lane="r1", thread_of="card"),
    )
    delivery = sender(session_scope, fake_slack, clock).drain()
    assert delivery.sent == 3
    post, edit, note = fake_slack.calls
    card_ts = post.response["ts"]
    assert [post.method, edit.method, note.method] == ["chat.postMessage", "chat.update", "chat.postMessage"]
    assert edit.args["ts"] == card_ts
    assert note.args["thread_ts"] == card_ts
    assert fake_slack.message("C1", card_ts)["text"] == "the card, updated"
    assert rows(session_scope)["card"].ts == card_ts


def test_a_429_waits_for_retry_after_and_holds_back_only_that_conversation(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=30)
    owe(
        session_scope,
        clock,
        owed.post("first", "C1", text("first"), lane="a"),
        owed.post("second", "C1", text("second"), lane="b"),
        owed.post("elsewhere", "C2", text("elsewhere")),
    )
    the_sender = sender(session_scope, fake_slack, clock)
    delivery = the_sender.drain()
    assert (delivery.sent, delivery.retrying) == (1, 1)
    assert [m["text"] for m in fake_slack.messages("C2")] == ["elsewhere"]
    assert fake_slack.messages("C1") == []  # "second" was not even tried: Slack asked to wait
    assert rows(session_scope)["first"].deliver_after == clock() + timedelta(seconds=30)
    clock.advance(seconds=29)
    assert the_sender.drain().sent == 0
    clock.advance(seconds=1)
    assert the_sender.drain().sent == 1  # then a post a second to that conversation, for a while
    clock.advance(seconds=PACE.total_seconds())
    assert the_sender.drain().sent == 1
    assert [m["text"] for m in fake_slack.messages("C1")] == ["first", "second"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 4  # one 429, three posts: no 429 after the pause


def test_a_5xx_is_retried_after_seconds_and_the_message_arrives_once(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", error="internal_error", status=500)
    owe(session_scope, clock, owed.post("hello", "C1", text("hello")))
    the_sender = sender(session_scope, fake_slack, clock)
    assert the_sender.drain().retrying == 1
    assert rows(session_scope)["hello"].deliver_after == clock() + timedelta(seconds=2)
    clock.advance(seconds=2)
    assert the_sender.drain().sent == 1
    assert [m["text"] for m in fake_slack.messages("C1")] == ["hello"]


def test_a_lost_answer_after_slack_posted_does_not_post_twice(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    fake_slack.drop_next("chat.postMessage", after_handling=True)
    owe(session_scope, clock, owed.post("hello", "U0SAM", text("hello")))
    the_sender = sender(session_scope, fake_slack, clock)
    assert the_sender.drain().retrying == 1
    clock.advance(seconds=2)
    assert the_sender.drain().sent == 1
    (message,) = fake_slack.messages(fake_slack.dm_channel("U0SAM"))
    assert rows(session_scope)["hello"].ts == message["ts"]


def test_a_permanent_error_kills_the_message_and_what_threads_under_it(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    owe(
        session_scope,
        clock,
        owed.post("card", "C_GONE", text("the card"), lane="r1"),
        owed.post("note", "C_GONE", text("a note"), lane="r1", thread_of="card"),
        owed.post("other", "C1", text("unrelated"), lane="r2"),
    )
    fake_slack.fail_next("chat.postMessage", error="channel_not_found", status=200)
    delivery = sender(session_scope, fake_slack, clock).drain()
    assert (delivery.sent, delivery.dead) == (1, 2)
    stored = rows(session_scope)
    assert (stored["card"].status, stored["card"].last_error) == ("dead", "channel_not_found")
    assert stored["note"].status == "dead"
    assert "could not be delivered: channel_not_found" in caplog.text
    with session_scope() as session:
        assert outbox.retry_dead(session, clock()) == 2
    assert sender(session_scope, fake_slack, clock).drain().sent == 2


class DiesAfterPosting(WebClient):
    """Slack accepts the message, then the sender's process dies before it can record that."""

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        response = super().api_call(api_method, **kwargs)
        if api_method == "chat.postMessage":
            raise Crash
        return response


def test_a_takeover_decides_per_key_never_per_digest(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    """Two DMs a dead sender had posted as one digest, six owed since: the six still arrive, once."""
    digest = [owed.Owed(f"old-{n}", "U0MGR", kind=DIGEST, lane="dm:U0MGR") for n in range(2)]
    owe(session_scope, clock, *digest)
    with pytest.raises(Crash):
        sender(session_scope, fake_slack, clock, DiesAfterPosting).step()
    owe(session_scope, clock, *(owed.Owed(f"new-{n}", "U0MGR", kind=DIGEST, lane="dm:U0MGR") for n in range(6)))
    clock.advance(seconds=LEASE.total_seconds() + 1)
    delivery = sender(session_scope, fake_slack, clock).drain()
    assert delivery.sent == 8
    texts = [m["text"] for m in fake_slack.messages(fake_slack.dm_channel("U0MGR"))]
    assert texts == ["digest: old-0, old-1", "digest: new-0, new-1, new-2, new-3, new-4, new-5"]


def test_a_row_leased_to_a_sender_that_died_waits_for_the_lease_then_goes_once(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    class DiesBeforePosting(WebClient):
        def api_call(self, api_method: str, **kwargs: Any) -> Any:
            raise Crash

    owe(session_scope, clock, owed.post("hello", "C1", text("hello")))
    with pytest.raises(Crash):
        sender(session_scope, fake_slack, clock, DiesBeforePosting).step()
    assert sender(session_scope, fake_slack, clock).drain().sent == 0  # still leased to the dead sender
    clock.advance(seconds=LEASE.total_seconds())
    assert sender(session_scope, fake_slack, clock).drain().sent == 1
    assert [m["text"] for m in fake_slack.messages("C1")] == ["hello"]


def test_two_senders_on_a_slow_slack_never_send_a_row_twice(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    """Each post takes 25 s of the senders' clock: leases are per row, so no row outlives its lease."""
    lock = threading.Lock()

    class SlowSlack(WebClient):
        def api_call(self, api_method: str, **kwargs: Any) -> Any:
            with lock:
                clock.advance(seconds=25)
            return super().api_call(api_method, **kwargs)

    owe(session_scope, clock, *(owed.post(f"dm-{n}", f"U{n:04d}", text(f"breach {n}")) for n in range(28)))
    senders = [sender(session_scope, fake_slack, clock, SlowSlack) for _ in range(2)]
    threads = [threading.Thread(target=s.drain) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    posted = [call.args["channel"] for call in fake_slack.calls_to("chat.postMessage")]
    assert sorted(posted) == sorted(f"U{n:04d}" for n in range(28))
    assert {row.status for row in rows(session_scope).values()} == {"sent"}


def test_wake_delivers_in_the_background_after_a_commit(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    def in_a_thread(work: Any) -> None:
        threading.Thread(target=work).start()

    the_sender = Sender(session_scope, client_for(fake_slack), clock, KINDS, dispatch=in_a_thread)
    owe(session_scope, clock, owed.post("hello", "C1", text("hello")))
    the_sender.wake()
    (call,) = fake_slack.wait_for("chat.postMessage")
    assert call.args["text"] == "hello"


def test_a_renderer_that_fails_kills_its_message_with_a_log_line_not_a_retry_loop(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_session: Session, _rows: Sequence[Outbox], _now: datetime) -> Call:
        raise KeyError("number")

    the_sender = Sender(session_scope, client_for(fake_slack), clock, Kinds(renderers={"broken": broken}))
    owe(session_scope, clock, owed.Owed("bad", "C1", kind="broken"), owed.post("good", "C1", text("fine"), lane="x"))
    delivery = the_sender.drain()
    assert (delivery.sent, delivery.dead) == (1, 1)
    assert rows(session_scope)["bad"].last_error == "could not be rendered: KeyError"
    assert "could not be rendered" in caplog.text


def test_a_hook_that_fails_leaves_the_message_recorded_as_sent(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_session: Session, _row: Outbox, _args: Any, _now: datetime) -> None:
        raise RuntimeError("boom")

    the_sender = Sender(session_scope, client_for(fake_slack), clock, Kinds(hooks={"broken": broken}))
    owe(session_scope, clock, owed.post("hello", "C1", text("hello"), on_sent=owed.Hook("broken")))
    assert the_sender.drain().sent == 1
    assert rows(session_scope)["hello"].status == "sent"
    assert "The broken hook of outbox row" in caplog.text
    assert the_sender.drain().sent == 0
    assert len(fake_slack.messages("C1")) == 1


def test_a_retried_post_whose_check_in_slack_fails_is_tried_again_not_posted_blind(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    fake_slack.drop_next("chat.postMessage", after_handling=True)
    owe(session_scope, clock, owed.post("hello", "C1", text("hello")))
    the_sender = sender(session_scope, fake_slack, clock)
    assert the_sender.drain().retrying == 1
    fake_slack.fail_next("conversations.history", error="internal_error", status=500)
    clock.advance(seconds=2)
    assert the_sender.drain().retrying == 1  # could not look: not posted again
    assert len(fake_slack.messages("C1")) == 1
    clock.advance(seconds=60)
    assert the_sender.drain().sent == 1
    assert len(fake_slack.messages("C1")) == 1


def test_a_message_is_given_up_only_after_a_day_and_many_tries(
    session_scope: SessionScope, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    owe(session_scope, clock, owed.post("hello", "C1", text("hello")))
    the_sender = sender(session_scope, fake_slack, clock)
    clock.advance(hours=25)  # owed long ago (or dated at midnight), first tried now
    fake_slack.fail_next("chat.postMessage", error="internal_error", status=500, times=3)
    for _ in range(3):
        assert the_sender.drain().retrying == 1
        clock.advance(seconds=60)
    assert the_sender.drain().sent == 1
